"""Discord: bot-token polling of channel messages with `after=` cursors (threads, reactions, joins), and
Ed25519 verification of the interactions endpoint (PING answered; interactions stored, not activities).

External ids are message snowflakes (globally unique).
"""

import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from integrations import http

from . import base
from .base import BadSignature, Field, HandshakeResponse, MalformedPayload, Page, header, item

API = "https://discord.com/api/v10"
PAGE_SIZE = 100
DEFAULT, USER_JOIN, REPLY, THREAD_STARTER = 0, 7, 19, 21


def _identity(author: dict) -> dict:
    return {
        "channel": "discord",
        "external_id": author.get("id", ""),
        "handle": author.get("username", ""),
        "name": author.get("global_name") or "",
    }


class DiscordConnector(base.JsonEventConnector):
    kind = "discord"
    label = "Discord server"
    source = "discord"
    config_fields = (
        Field("channel_ids", "Channel IDs", "Comma-separated channel ids to read"),
        Field("public_key", "Application public key", "For the interactions endpoint (optional)", required=False),
    )
    credential_fields = (Field("bot_token", "Bot token", "Bot with Read Message History", secret=True),)
    polls = True
    receives_webhooks = True
    kept_headers = ("content-type", "x-signature-timestamp")
    handled_events = frozenset({"rest:messages"})

    def verify(self, request, connection) -> None:
        key = connection.config.get("public_key", "")
        signature = header(request.headers, "X-Signature-Ed25519")
        timestamp = header(request.headers, "X-Signature-Timestamp")
        if not key or not signature or not timestamp:
            raise BadSignature("missing Ed25519 signature headers")
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(key)).verify(
                bytes.fromhex(signature), timestamp.encode() + request.body
            )
        except (InvalidSignature, ValueError):
            raise BadSignature("Ed25519 signature does not verify") from None
        # The signature covers the timestamp, so a captured delivery stays valid for ever unless its age is checked.
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > base.REPLAY_WINDOW:
            raise BadSignature("signed timestamp outside the 5-minute window")

    def handshake(self, body: bytes, headers: dict) -> HandshakeResponse | None:
        data = base.load_json(body)
        if isinstance(data, dict) and data.get("type") == 1:  # PING
            return HandshakeResponse({"type": 1})
        return None

    def delivery_event_type(self, data) -> str:
        if not isinstance(data, dict) or "type" not in data:
            raise MalformedPayload("interaction without type")
        return f"interaction:{data['type']}"  # slash commands etc.: stored and skipped

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        messages = base.load_json(payload)
        if self.event_type(messages, headers) != "rest:messages":
            raise base.UnknownEvent("interaction")
        if not isinstance(messages, list):
            raise MalformedPayload("expected a list of messages")
        thread_parent = header(headers, "X-Hearth-Thread-Parent")
        items = []
        for message in messages:
            if not isinstance(message, dict) or "id" not in message or "author" not in message:
                raise MalformedPayload("message without id or author")
            author = message["author"]
            if author.get("bot"):
                continue
            kind_code = message.get("type", DEFAULT)
            reactions = sum(r.get("count", 0) for r in message.get("reactions") or [])
            extra = {"reactions": reactions} if reactions else None
            if kind_code == USER_JOIN:
                kind, parent = "join", ""
            elif kind_code == REPLY:
                kind, parent = "reply", (message.get("message_reference") or {}).get("message_id", "")
            elif kind_code in (DEFAULT, THREAD_STARTER):
                kind, parent = ("reply", thread_parent) if thread_parent else ("message", "")
            else:
                continue
            items.append(
                item(
                    source=self.source,
                    external_id=message["id"],
                    kind=kind,
                    occurred_at=message.get("timestamp"),
                    body=message.get("content", ""),
                    url=f"https://discord.com/channels/{message.get('guild_id', '@me')}/{message.get('channel_id')}/{message['id']}"
                    if message.get("channel_id")
                    else "",
                    parent_external_id=parent,
                    identity=_identity(author),
                    extra=extra,
                )
            )
        return items

    def _get(self, connection, path: str, params: dict, **page_headers: str):
        token = connection.credentials.get("bot_token", "")
        response = http.request("GET", API + path, headers={"Authorization": f"Bot {token}"}, params=params)
        data, raw = base.json_page(response, "rest:messages", **page_headers)
        if not isinstance(data, list):
            raise MalformedPayload(f"{path}: expected a list", raw=raw)
        return data, raw

    def fetch(self, connection, cursor: dict) -> Page:
        channels = [c.strip() for c in connection.config.get("channel_ids", "").split(",") if c.strip()]
        state = {k: dict(v) for k, v in (cursor or {}).get("channels", {}).items()}
        events, has_more = [], False
        for channel in channels:
            after = state.setdefault(channel, {}).get("after", "0")
            messages, raw = self._get(connection, f"/channels/{channel}/messages", {"limit": PAGE_SIZE, "after": after})
            events.append(raw)
            for message in messages:
                thread = message.get("thread")
                if thread and thread.get("id"):
                    _, thread_raw = self._get(
                        connection,
                        f"/channels/{thread['id']}/messages",
                        {"limit": PAGE_SIZE},
                        **{"X-Hearth-Thread-Parent": message["id"]},
                    )
                    events.append(thread_raw)
            if messages:
                state[channel]["after"] = str(max(int(m["id"]) for m in messages))
                has_more = has_more or len(messages) == PAGE_SIZE
        return Page(events=events, next_cursor={"channels": state}, has_more=has_more)

    def cursor_since(self, connection, since) -> dict:
        # A snowflake encodes its time: (ms since the Discord epoch) << 22.
        snowflake = (int(since.timestamp() * 1000) - 1420070400000) << 22
        channels = [c.strip() for c in connection.config.get("channel_ids", "").split(",") if c.strip()]
        return {"channels": {c: {"after": str(max(snowflake, 0))} for c in channels}}

    def check(self, connection) -> str:
        token = connection.credentials.get("bot_token", "")
        data = http.json_of(http.request("GET", f"{API}/users/@me", headers={"Authorization": f"Bot {token}"}))
        return f"connected as {data.get('username', 'the bot')}"

    # --- moderation
    def remove(self, connection, activity) -> None:
        """DELETE /channels/{channel}/messages/{message}; the bot needs Manage Messages. 404: already gone."""
        parts = activity.url.rstrip("/").split("/")
        channel = parts[-2] if len(parts) >= 3 else ""
        if activity.kind not in ("message", "reply") or not channel.isdigit() or not activity.external_id.isdigit():
            raise base.NotRemovable("only Discord messages with a known channel can be removed")
        token = connection.credentials.get("bot_token", "")
        http.request(
            "DELETE",
            f"{API}/channels/{channel}/messages/{activity.external_id}",
            headers={"Authorization": f"Bot {token}"},
            ok_statuses=(204, 404),
        )


CONNECTOR = DiscordConnector()
