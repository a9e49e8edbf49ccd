"""YouTube: comment threads and replies on a channel's videos (Data API v3, API key).

External ids are YouTube comment ids; a reply's parent is its thread's top-level comment.
"""

from integrations import http

from . import base
from .base import Field, MalformedPayload, Page, item

API = "https://www.googleapis.com/youtube/v3/commentThreads"
QUOTA_REASONS = {"quotaExceeded", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded"}


def _comment(comment: dict, parent: str = "") -> dict:
    snippet = base.require(comment, "snippet")
    author_id = (snippet.get("authorChannelId") or {}).get("value") or snippet.get("authorDisplayName", "")
    return item(
        source="youtube",
        external_id=base.require(comment, "id"),
        kind="reply" if parent else "comment",
        occurred_at=base.require(snippet, "publishedAt"),
        body=snippet.get("textOriginal") or snippet.get("textDisplay", ""),
        url=f"https://www.youtube.com/watch?v={snippet.get('videoId', '')}&lc={comment['id']}"
        if snippet.get("videoId")
        else "",
        parent_external_id=parent,
        identity={
            "channel": "youtube",
            "external_id": author_id,
            "name": snippet.get("authorDisplayName", ""),
            "url": snippet.get("authorChannelUrl", ""),
        },
        extra={"video_id": snippet.get("videoId", ""), "likes": snippet.get("likeCount", 0)},
    )


class YouTubeConnector(base.Connector):
    kind = "youtube"
    label = "YouTube channel"
    source = "youtube"
    config_fields = (Field("channel_id", "Channel ID", "UC…"),)
    credential_fields = (Field("api_key", "API key", "Google Cloud API key with YouTube Data API v3", secret=True),)
    polls = True
    handled_events = frozenset({"rest:commentThreads"})

    def classify(self, body: bytes, headers: dict) -> str:
        return "rest:commentThreads"

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        data = base.load_json(payload)
        threads = base.require(data, "items")
        items = []
        for thread in threads:
            top = base.require(thread, "snippet", "topLevelComment")
            items.append(_comment(top))
            for reply in (thread.get("replies") or {}).get("comments", []):
                items.append(_comment(reply, parent=top["id"]))
        return items

    def fetch(self, connection, cursor: dict) -> Page:
        """Newest first (order=time): page until a thread older than the newest one seen last time."""
        state = dict(cursor or {})
        params = {
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": connection.config.get("channel_id", ""),
            "maxResults": 100,
            "order": "time",
            "textFormat": "plainText",
            "key": connection.credentials.get("api_key", ""),
        }
        if state.get("page_token"):
            params["pageToken"] = state["page_token"]
        response = http.request("GET", API, params=params, ok_statuses=(200, 403), auth_statuses=(401,))
        data, raw = base.json_page(response, "rest:commentThreads")
        if response.status_code == 403:
            reasons = {e.get("reason") for e in ((data or {}).get("error") or {}).get("errors", [])}
            if reasons & QUOTA_REASONS:
                raise http.RateLimited(3600, "YouTube quota exhausted")
            raise http.AuthFailed(403, ", ".join(sorted(r for r in reasons if r)))
        threads = data.get("items") if isinstance(data, dict) else None
        if not isinstance(threads, list):
            raise MalformedPayload("commentThreads without items", raw=raw)
        newest_seen = state.get("newest", "")
        times = [
            t.get("snippet", {}).get("topLevelComment", {}).get("snippet", {}).get("publishedAt", "") for t in threads
        ]
        state["run_newest"] = max([*times, state.get("run_newest", "")])
        reached_known = bool(newest_seen) and any(t and t <= newest_seen for t in times)
        next_token = data.get("nextPageToken")
        has_more = bool(next_token) and not reached_known
        if has_more:
            state["page_token"] = next_token
        else:
            state.pop("page_token", None)
            state["newest"] = max(state.pop("run_newest"), newest_seen)
        return Page(events=[raw] if threads else [], next_cursor=state, has_more=has_more)

    def cursor_since(self, connection, since) -> dict:
        return {"newest": since.isoformat().replace("+00:00", "Z")}


CONNECTOR = YouTubeConnector()
