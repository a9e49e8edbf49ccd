"""Reddit: app-only OAuth (client credentials), then new posts and comments of subreddits and keyword search.

External ids are Reddit fullnames (`t3_…` posts, `t1_…` comments).
"""

from integrations import http

from . import base
from .base import Field, MalformedPayload, Page, item

TOKEN_URL = "https://www.reddit.com/api/v1/access_token"  # noqa: S105 - a URL, not a secret
API = "https://oauth.reddit.com"
USER_AGENT = "web:hearth-community:v1.0 (by /u/hearth-dev)"


class RedditConnector(base.Connector):
    kind = "reddit"
    label = "Reddit"
    source = "reddit"
    config_fields = (
        Field("subreddits", "Subreddits", "Comma-separated, without r/"),
        Field("keywords", "Keywords", "Comma-separated words to search for (optional)", required=False),
    )
    credential_fields = (
        Field("client_id", "Client ID", "A 'script' or 'web' app at reddit.com/prefs/apps", secret=True),
        Field("client_secret", "Client secret", "", secret=True),
    )
    polls = True
    handled_events = frozenset({"rest:listing"})

    def classify(self, body: bytes, headers: dict) -> str:
        return "rest:listing"

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        listing = base.load_json(payload)
        children = base.require(listing, "data", "children")
        if not isinstance(children, list):
            raise MalformedPayload("listing children is not a list")
        items = []
        for child in children:
            kind, data = child.get("kind"), child.get("data") or {}
            author = data.get("author", "")
            if kind not in ("t1", "t3") or not author or author == "[deleted]":
                continue
            identity = {
                "channel": "reddit",
                "external_id": data.get("author_fullname") or author,
                "handle": author,
                "url": f"https://www.reddit.com/user/{author}",
            }
            permalink = f"https://www.reddit.com{data['permalink']}" if data.get("permalink") else ""
            if kind == "t3":
                items.append(
                    item(
                        source=self.source,
                        external_id=base.require(data, "name"),
                        kind="post",
                        occurred_at=base.require(data, "created_utc"),
                        title=data.get("title", ""),
                        body=data.get("selftext", ""),
                        url=permalink,
                        identity=identity,
                        extra={"subreddit": data.get("subreddit", "")},
                    )
                )
            else:
                items.append(
                    item(
                        source=self.source,
                        external_id=base.require(data, "name"),
                        kind="comment",
                        occurred_at=base.require(data, "created_utc"),
                        body=data.get("body", ""),
                        url=permalink,
                        parent_external_id=data.get("parent_id", ""),
                        identity=identity,
                        extra={"subreddit": data.get("subreddit", "")},
                    )
                )
        return items

    def _token(self, connection) -> str:
        credentials = connection.credentials
        response = http.request(
            "POST",
            TOKEN_URL,
            data={"grant_type": "client_credentials"},
            auth=(credentials.get("client_id", ""), credentials.get("client_secret", "")),
            headers={"User-Agent": USER_AGENT},
        )
        data = http.json_of(response)
        if not isinstance(data, dict) or "access_token" not in data:
            raise http.AuthFailed(401, (data or {}).get("error", "") if isinstance(data, dict) else "")
        return data["access_token"]

    def _streams(self, connection) -> list[tuple[str, str, dict]]:
        subs = [s.strip().removeprefix("r/") for s in connection.config.get("subreddits", "").split(",") if s.strip()]
        words = [w.strip() for w in connection.config.get("keywords", "").split(",") if w.strip()]
        streams = []
        for sub in subs:
            streams.append((f"new:{sub}", f"/r/{sub}/new", {}))
            streams.append((f"comments:{sub}", f"/r/{sub}/comments", {}))
        for word in words:
            streams.append((f"search:{word}", "/search", {"q": word, "sort": "new", "type": "link"}))
        return streams

    def fetch(self, connection, cursor: dict) -> Page:
        """Newest first; `before=<newest fullname seen>` returns only what is newer than last time."""
        token = self._token(connection)
        headers = {"Authorization": f"bearer {token}", "User-Agent": USER_AGENT}
        state = dict(cursor or {})
        events = []
        for key, path, params in self._streams(connection):
            query = {**params, "limit": 100, "raw_json": 1}
            if state.get(key):
                query["before"] = state[key]
            response = http.request("GET", API + path, headers=headers, params=query)
            listing, raw = base.json_page(response, "rest:listing")
            children = (listing.get("data") or {}).get("children") if isinstance(listing, dict) else None
            if not isinstance(children, list):
                raise MalformedPayload(f"{path}: not a listing", raw=raw)
            if children:
                state[key] = children[0]["data"]["name"]
                events.append(raw)
        return Page(events=events, next_cursor=state)

    def cursor_since(self, connection, since) -> dict:
        return {}  # Reddit listings only go ~1000 items back: a resync re-reads them all (duplicates are ignored)

    def check(self, connection) -> str:
        self._token(connection)
        return "app-only token granted"


CONNECTOR = RedditConnector()
