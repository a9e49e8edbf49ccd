"""Mastodon: a hashtag timeline of an instance, and (with a token) mentions of the account.

External ids are status URIs (global across the fediverse); `min_id` cursors read forward from the last seen.
"""

from urllib.parse import urlparse

from integrations import http

from . import base
from .base import Field, MalformedPayload, Page, header, item

PAGE_SIZE = 40


def _status_item(status: dict) -> dict | None:
    if not isinstance(status, dict) or "uri" not in status or "account" not in status:
        raise MalformedPayload("status without uri or account")
    if status.get("reblog"):
        return None
    account = status["account"]
    return item(
        source="mastodon",
        external_id=status["uri"],
        kind="reply" if status.get("in_reply_to_id") else "post",
        occurred_at=status.get("created_at"),
        body=status.get("content", ""),
        url=status.get("url") or "",
        identity={
            "channel": "mastodon",
            "external_id": account.get("url") or account.get("acct", ""),
            "handle": account.get("acct", ""),
            "name": account.get("display_name", ""),
            "url": account.get("url", ""),
        },
    )


class MastodonConnector(base.Connector):
    kind = "mastodon"
    label = "Mastodon"
    source = "mastodon"
    config_fields = (
        Field("instance_url", "Instance", "https://mastodon.social", url=True),
        Field("hashtag", "Hashtag", "Without #", required=False),
    )
    credential_fields = (
        Field(
            "access_token", "Access token", "Optional: read:notifications, for mentions", secret=True, required=False
        ),
    )
    polls = True
    handled_events = frozenset({"rest:statuses", "rest:notifications"})

    def classify(self, body: bytes, headers: dict) -> str:
        return header(headers, base.EVENT_HEADER) or "rest:statuses"

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        rows = base.load_json(payload)
        if not isinstance(rows, list):
            raise MalformedPayload("expected a list")
        if self.classify(payload, headers) == "rest:notifications":
            rows = [n.get("status") for n in rows if n.get("type") == "mention" and n.get("status")]
        return [entry for entry in (_status_item(status) for status in rows) if entry]

    def fetch(self, connection, cursor: dict) -> Page:
        instance = connection.config.get("instance_url", "").rstrip("/")
        token = connection.credentials.get("access_token", "")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        state = dict(cursor or {})
        streams = []
        if connection.config.get("hashtag"):
            tag = connection.config["hashtag"].lstrip("#")
            streams.append(("tag", f"{instance}/api/v1/timelines/tag/{tag}", {}, "rest:statuses"))
        if token:
            streams.append(
                ("mentions", f"{instance}/api/v1/notifications", {"types[]": "mention"}, "rest:notifications")
            )
        events, has_more = [], False
        for key, url, params, event_type in streams:
            query = {**params, "limit": PAGE_SIZE}
            if state.get(key):
                query["min_id"] = state[key]
            response = http.request("GET", url, headers=headers, params=query)
            rows, raw = base.json_page(response, event_type, **{"X-Hearth-Instance": urlparse(instance).netloc})
            if not isinstance(rows, list):
                raise MalformedPayload(f"{url}: expected a list", raw=raw)
            if rows:
                # min_id pages come newest first within the page; the highest id is where to continue.
                state[key] = max((r["id"] for r in rows), key=lambda value: (len(value), value))
                events.append(raw)
                has_more = has_more or len(rows) == PAGE_SIZE
        return Page(events=events, next_cursor=state, has_more=has_more)

    def cursor_since(self, connection, since) -> dict:
        return {}


CONNECTOR = MastodonConnector()
