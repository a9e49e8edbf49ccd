"""X (Twitter): recent search (API v2, 7 days) for handles and keywords with an app bearer token.

External ids are tweet ids; replies point at the tweet they reply to.
"""

from integrations import http

from . import base
from .base import Field, MalformedPayload, Page, item

API = "https://api.twitter.com/2/tweets/search/recent"


class XConnector(base.Connector):
    kind = "x"
    label = "X (Twitter) search"
    source = "x"
    config_fields = (Field("query", "Search query", "e.g. @hearth OR hearthhq -is:retweet"),)
    credential_fields = (Field("bearer_token", "Bearer token", "App-only bearer token", secret=True),)
    polls = True
    handled_events = frozenset({"rest:search"})

    def classify(self, body: bytes, headers: dict) -> str:
        return "rest:search"

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        data = base.load_json(payload)
        if not isinstance(data, dict) or "meta" not in data:
            raise MalformedPayload("search response without meta")
        users = {u["id"]: u for u in (data.get("includes") or {}).get("users", []) if "id" in u}
        items = []
        for tweet in data.get("data", []):
            author = users.get(tweet.get("author_id"), {})
            replied = [r["id"] for r in tweet.get("referenced_tweets", []) if r.get("type") == "replied_to"]
            username = author.get("username", "")
            items.append(
                item(
                    source=self.source,
                    external_id=base.require(tweet, "id"),
                    kind="reply" if replied else "post",
                    occurred_at=base.require(tweet, "created_at"),
                    body=tweet.get("text", ""),
                    url=f"https://x.com/{username or 'i'}/status/{tweet['id']}",
                    parent_external_id=replied[0] if replied else "",
                    identity={
                        "channel": "x",
                        "external_id": base.require(tweet, "author_id"),
                        "handle": username,
                        "name": author.get("name", ""),
                        "url": f"https://x.com/{username}" if username else "",
                    },
                )
            )
        return items

    def fetch(self, connection, cursor: dict) -> Page:
        state = dict(cursor or {})
        params = {
            "query": connection.config.get("query", ""),
            "max_results": 100,
            "tweet.fields": "created_at,author_id,conversation_id,referenced_tweets",
            "expansions": "author_id",
            "user.fields": "username,name",
        }
        if state.get("next_token"):
            params["next_token"] = state["next_token"]
        if state.get("since_id"):
            params["since_id"] = state["since_id"]
        token = connection.credentials.get("bearer_token", "")
        response = http.request("GET", API, headers={"Authorization": f"Bearer {token}"}, params=params)
        data, raw = base.json_page(response, "rest:search")
        meta = data.get("meta") if isinstance(data, dict) else None
        if not isinstance(meta, dict):
            raise MalformedPayload("search response without meta", raw=raw)
        if meta.get("newest_id"):
            state["run_newest"] = max([meta["newest_id"], state.get("run_newest", "0")], key=int)
        has_more = bool(meta.get("next_token"))
        if has_more:
            state["next_token"] = meta["next_token"]
        else:
            state.pop("next_token", None)
            if state.get("run_newest"):
                state["since_id"] = state.pop("run_newest")
        return Page(events=[raw] if data.get("data") else [], next_cursor=state, has_more=has_more)

    def cursor_since(self, connection, since) -> dict:
        return {}  # recent search covers 7 days; a resync re-reads them (duplicates are ignored)


CONNECTOR = XConnector()
