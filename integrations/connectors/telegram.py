"""Telegram: a bot's group messages, by webhook (secret token header) or by `getUpdates` polling.

External ids are `<chat id>:<message id>`. Telegram refuses getUpdates while a webhook is set: use one or the other.
"""

from integrations import http

from . import base
from .base import BadSignature, Field, MalformedPayload, Page, UnknownEvent, header, item

API = "https://api.telegram.org"
UPDATE_KINDS = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "message_reaction",
    "chat_member",
    "my_chat_member",
    "callback_query",
)


def _identity(user: dict) -> dict:
    name = " ".join(part for part in (user.get("first_name", ""), user.get("last_name", "")) if part)
    return {"channel": "telegram", "external_id": user.get("id", ""), "handle": user.get("username", ""), "name": name}


class TelegramConnector(base.JsonEventConnector):
    kind = "telegram"
    label = "Telegram group (bot)"
    source = "telegram"
    # No configuration: the bot reads the groups it was added to (with privacy mode off for all messages).
    credential_fields = (Field("bot_token", "Bot token", "From @BotFather", secret=True),)
    polls = True
    receives_webhooks = True
    kept_headers = ("content-type",)
    handled_events = frozenset({"message", "rest:getUpdates"})

    def verify(self, request, connection) -> None:
        secret = connection.webhook_secret
        token = header(request.headers, "X-Telegram-Bot-Api-Secret-Token")
        if not secret or not token or not base.same(token, secret):
            raise BadSignature("X-Telegram-Bot-Api-Secret-Token does not match")

    def delivery_event_type(self, data) -> str:
        if not isinstance(data, dict) or "update_id" not in data:
            raise MalformedPayload("not a Telegram Update (no update_id)")
        return next((kind for kind in UPDATE_KINDS if kind in data), "unknown")

    def delivery_id(self, body: bytes, headers: dict) -> str:
        data = base.load_json(body)
        return str(data.get("update_id", "")) if isinstance(data, dict) else ""

    def _message(self, message: dict) -> list[dict]:
        chat = base.require(message, "chat")
        chat_key = f"{chat.get('id')}:{base.require(message, 'message_id')}"
        if message.get("new_chat_members"):
            return [
                item(
                    source=self.source,
                    external_id=f"{chat_key}:join:{member.get('id')}",
                    kind="join",
                    occurred_at=base.require(message, "date"),
                    title=f"joined {chat.get('title', '')}".strip(),
                    identity=_identity(member),
                )
                for member in message["new_chat_members"]
                if not member.get("is_bot")
            ]
        sender = message.get("from") or {}
        text = message.get("text") or message.get("caption") or ""
        if not sender or sender.get("is_bot") or not text:
            return []
        reply_to = message.get("reply_to_message")
        return [
            item(
                source=self.source,
                external_id=chat_key,
                kind="reply" if reply_to else "message",
                occurred_at=message["date"],
                body=text,
                parent_external_id=f"{chat.get('id')}:{reply_to['message_id']}" if reply_to else "",
                identity=_identity(sender),
            )
        ]

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        data = base.load_json(payload)
        event = self.event_type(data, headers)
        if event == "rest:getUpdates":
            updates = base.require(data, "result")
        elif event == "message":
            updates = [data]
        else:
            raise UnknownEvent(event)
        items = []
        for update in updates:
            if "message" in update:
                items.extend(self._message(update["message"]))
        return items

    def fetch(self, connection, cursor: dict) -> Page:
        token = connection.credentials.get("bot_token", "")
        state = dict(cursor or {})
        params = {"timeout": 0, "limit": 100, "allowed_updates": '["message"]'}
        if state.get("offset"):
            params["offset"] = state["offset"]
        response = http.request("GET", f"{API}/bot{token}/getUpdates", params=params)
        data, raw = base.json_page(response, "rest:getUpdates")
        if not isinstance(data, dict) or not data.get("ok") or not isinstance(data.get("result"), list):
            raise MalformedPayload("getUpdates answer without ok/result", raw=raw)
        updates = data["result"]
        if updates:
            state["offset"] = max(u["update_id"] for u in updates) + 1  # confirms them to Telegram
        return Page(events=[raw] if updates else [], next_cursor=state, has_more=len(updates) == 100)

    def cursor_since(self, connection, since) -> dict:
        return {}  # Telegram keeps unconfirmed updates for 24 hours only

    def check(self, connection) -> str:
        token = connection.credentials.get("bot_token", "")
        data = http.json_of(http.request("GET", f"{API}/bot{token}/getMe"))
        return f"connected as @{(data.get('result') or {}).get('username', 'bot')}"

    # --- moderation
    def remove(self, connection, activity) -> None:
        """deleteMessage (the bot must be an admin with can_delete_messages). Telegram answers a message already
        gone with 400 "message to delete not found", which counts as removed."""
        chat_id, _, message_id = activity.external_id.partition(":")
        if activity.kind not in ("message", "reply") or not message_id.isdigit():
            raise base.NotRemovable("only Telegram messages can be removed")
        token = connection.credentials.get("bot_token", "")
        response = http.request(
            "POST",
            f"{API}/bot{token}/deleteMessage",
            data={"chat_id": chat_id, "message_id": message_id},
            ok_statuses=(200, 400),
        )
        data = http.json_of(response)
        if not isinstance(data, dict):
            raise http.BadResponse("Telegram deleteMessage: expected an object")
        description = str(data.get("description", ""))
        if data.get("ok") or "message to delete not found" in description:
            return
        raise http.BadResponse(f"Telegram deleteMessage: {description or 'refused'}")


CONNECTOR = TelegramConnector()
