"""Slack: Events API (signed v0 with a 5-minute window, url_verification) and conversations.history backfill.

External ids: `<team>:<channel>:<ts>` for messages (a thread reply's parent is its `thread_ts`).
"""

import time

from integrations import http

from . import base
from .base import BadSignature, Field, HandshakeResponse, MalformedPayload, Page, UnknownEvent, header, item, require

API = "https://slack.com/api"
AUTH_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive", "missing_scope"}
IGNORED_SUBTYPES = {
    "bot_message",
    "message_changed",
    "message_deleted",
    "channel_join",
    "channel_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
}


def _identity(user_id: str) -> dict:
    return {"channel": "slack", "external_id": user_id}


class SlackConnector(base.JsonEventConnector):
    kind = "slack"
    label = "Slack workspace"
    source = "slack"
    config_fields = (
        Field("team_id", "Workspace ID", "T… (Slack → About this workspace)"),
        Field("channels", "Channel IDs to backfill", "Comma-separated C… ids", required=False),
    )
    credential_fields = (
        Field("bot_token", "Bot token", "xoxb-… with channels:history, reactions:read", secret=True),
        Field("signing_secret", "Signing secret", "Basic Information → Signing Secret", secret=True),
    )
    polls = True
    receives_webhooks = True
    kept_headers = ("content-type", "x-slack-request-timestamp", "x-slack-retry-num", "x-slack-retry-reason")
    handled_events = frozenset(
        {
            "message",
            "reaction_added",
            "member_joined_channel",
            "rest:conversations.history",
            "rest:conversations.replies",
        }
    )

    def verify(self, request, connection) -> None:
        secret = connection.credentials.get("signing_secret", "")
        timestamp = header(request.headers, "X-Slack-Request-Timestamp")
        signature = header(request.headers, "X-Slack-Signature")
        if not secret or not timestamp.isdigit() or not signature:
            raise BadSignature("missing Slack signature headers")
        if abs(time.time() - int(timestamp)) > base.REPLAY_WINDOW:
            raise BadSignature("Slack request timestamp outside the 5-minute window")
        basestring = b"v0:" + timestamp.encode() + b":" + request.body
        if not base.same(signature, "v0=" + base.hmac_hex(secret, basestring)):
            raise BadSignature("X-Slack-Signature does not match")

    def handshake(self, body: bytes, headers: dict) -> HandshakeResponse | None:
        data = base.load_json(body)
        if isinstance(data, dict) and data.get("type") == "url_verification":
            return HandshakeResponse({"challenge": require(data, "challenge")})
        return None

    def delivery_event_type(self, data) -> str:
        if not isinstance(data, dict) or "type" not in data:
            raise MalformedPayload("missing type")
        if data["type"] != "event_callback":
            return data["type"]
        return require(data, "event", "type")

    def delivery_id(self, body: bytes, headers: dict) -> str:
        data = base.load_json(body)
        return str(data.get("event_id", "")) if isinstance(data, dict) else ""

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        data = base.load_json(payload)
        event_type = self.event_type(data, headers)
        if event_type in ("rest:conversations.history", "rest:conversations.replies"):
            if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
                raise MalformedPayload("messages missing from the page")
            team = header(headers, "X-Hearth-Team")
            channel = header(headers, "X-Hearth-Channel")
            return [m for m in (self._message(team, channel, msg) for msg in data["messages"]) if m]
        if event_type not in self.handled_events:
            raise UnknownEvent(event_type)
        team = require(data, "team_id")
        event = require(data, "event")
        if event_type == "message":
            message = self._message(team, event.get("channel", ""), event)
            return [message] if message else []
        if event_type == "reaction_added":
            target = require(event, "item")
            parent = f"{team}:{target.get('channel', '')}:{target.get('ts', '')}"
            return [
                item(
                    source=self.source,
                    external_id=f"{parent}:reaction:{require(event, 'user')}:{event.get('reaction', '')}",
                    kind="reaction",
                    occurred_at=require(event, "event_ts"),
                    title=f":{event.get('reaction', '')}:",
                    parent_external_id=parent,
                    identity=_identity(event["user"]),
                )
            ]
        # member_joined_channel
        channel = require(event, "channel")
        return [
            item(
                source=self.source,
                external_id=f"{team}:{channel}:join:{require(event, 'user')}",
                kind="join",
                occurred_at=event.get("event_ts") or data.get("event_time"),
                title=f"joined {channel}",
                identity=_identity(event["user"]),
            )
        ]

    def _message(self, team: str, channel: str, msg: dict) -> dict | None:
        if not isinstance(msg, dict) or "ts" not in msg:
            raise MalformedPayload("message without ts")
        if msg.get("subtype") in IGNORED_SUBTYPES or not msg.get("user"):
            return None
        thread_ts = msg.get("thread_ts")
        is_reply = bool(thread_ts) and thread_ts != msg["ts"]
        return item(
            source=self.source,
            external_id=f"{team}:{channel}:{msg['ts']}",
            kind="reply" if is_reply else "message",
            occurred_at=msg["ts"],
            body=msg.get("text", ""),
            parent_external_id=f"{team}:{channel}:{thread_ts}" if is_reply else "",
            identity=_identity(msg["user"]),
        )

    # --- pull
    def _call(self, connection, method: str, params: dict, **page_headers: str) -> tuple[dict, base.RawEvent]:
        token = connection.credentials.get("bot_token", "")
        response = http.request("GET", f"{API}/{method}", headers={"Authorization": f"Bearer {token}"}, params=params)
        data, raw = base.json_page(response, f"rest:{method}", **page_headers)
        if not isinstance(data, dict):
            raise MalformedPayload(f"{method}: expected an object", raw=raw)
        if not data.get("ok"):
            error = data.get("error", "unknown_error")
            if error in AUTH_ERRORS:
                raise http.AuthFailed(401, error)
            if error == "ratelimited":
                raise http.RateLimited(60)
            raise http.BadResponse(f"Slack {method}: {error}")
        return data, raw

    def fetch(self, connection, cursor: dict) -> Page:
        """One page of history per configured channel, plus the replies of threads found on it."""
        team = connection.config.get("team_id", "")
        channels = [c.strip() for c in connection.config.get("channels", "").split(",") if c.strip()]
        state_by_channel = {k: dict(v) for k, v in (cursor or {}).get("channels", {}).items()}
        events, has_more = [], False
        for channel in channels:
            state = state_by_channel.setdefault(channel, {})
            params = {"channel": channel, "limit": 200}
            if state.get("oldest"):
                params["oldest"] = state["oldest"]
            if state.get("cursor"):
                params["cursor"] = state["cursor"]
            page_headers = {"X-Hearth-Team": team, "X-Hearth-Channel": channel}
            data, raw = self._call(connection, "conversations.history", params, **page_headers)
            events.append(raw)
            for message in data.get("messages", []):
                if message.get("reply_count") and message.get("thread_ts"):
                    _, replies = self._call(
                        connection,
                        "conversations.replies",
                        {"channel": channel, "ts": message["thread_ts"]},
                        **page_headers,
                    )
                    events.append(replies)
            newest = max([m.get("ts", "") for m in data.get("messages", [])] + [state.get("high", "")])
            state["high"] = newest
            next_cursor = (data.get("response_metadata") or {}).get("next_cursor") or ""
            if next_cursor:
                state["cursor"], has_more = next_cursor, True
            else:
                state.pop("cursor", None)
                if newest:
                    state["oldest"] = newest
        return Page(events=events, next_cursor={"channels": state_by_channel}, has_more=has_more)

    def cursor_since(self, connection, since) -> dict:
        channels = [c.strip() for c in connection.config.get("channels", "").split(",") if c.strip()]
        return {"channels": {channel: {"oldest": f"{since.timestamp():.6f}"} for channel in channels}}

    def check(self, connection) -> str:
        data, _ = self._call(connection, "auth.test", {})
        return f"connected to {data.get('team', 'the workspace')} as {data.get('user', 'the bot')}"

    # --- moderation
    def remove(self, connection, activity) -> None:
        """chat.delete. A workspace admin's user token deletes anyone's message; a bot token only the bot's own."""
        parts = activity.external_id.split(":")
        if activity.kind not in ("message", "reply") or len(parts) != 3:
            raise base.NotRemovable("only Slack messages can be removed")
        _team, channel, ts = parts
        token = connection.credentials.get("bot_token", "")
        response = http.request(
            "POST",
            f"{API}/chat.delete",
            headers={"Authorization": f"Bearer {token}"},
            data={"channel": channel, "ts": ts},
        )
        data = http.json_of(response)
        if not isinstance(data, dict):
            raise http.BadResponse("Slack chat.delete: expected an object")
        error = data.get("error", "unknown_error")
        if data.get("ok") or error == "message_not_found":  # gone already: a retry after a lost answer
            return
        if error in AUTH_ERRORS:
            raise http.AuthFailed(401, error)
        if error == "ratelimited":
            raise http.RateLimited(60)
        raise http.BadResponse(f"Slack chat.delete: {error}")


CONNECTOR = SlackConnector()
