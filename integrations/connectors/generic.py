"""Generic: any system posts Hearth's own Activity-API JSON, signed with HMAC-SHA256.

Headers: `X-Hearth-Timestamp: <unix seconds>` and `X-Hearth-Signature: sha256=<hex>` where the hex is
HMAC-SHA256(webhook secret, "<timestamp>." + body). Body: one Activity-API item or `{"items": [...]}`.
"""

import time

from . import base
from .base import BadSignature, MalformedPayload, header

REQUIRED = ("external_id", "kind", "occurred_at", "identity")


def sign(secret: str, body: bytes, timestamp: int | None = None) -> dict:
    """The headers a sender adds (used by tests and documented for integrators)."""
    timestamp = int(timestamp if timestamp is not None else time.time())
    digest = base.hmac_hex(secret, f"{timestamp}.".encode() + body)
    return {"X-Hearth-Timestamp": str(timestamp), "X-Hearth-Signature": f"sha256={digest}"}


class GenericConnector(base.Connector):
    kind = "generic"
    label = "Generic webhook (Hearth activity JSON)"
    source = "webhook"
    receives_webhooks = True
    kept_headers = ("content-type", "x-hearth-timestamp", "x-hearth-delivery")
    handled_events = frozenset({"activities"})

    def verify(self, request, connection) -> None:
        secret = connection.webhook_secret
        timestamp = header(request.headers, "X-Hearth-Timestamp")
        signature = header(request.headers, "X-Hearth-Signature")
        if not secret or not timestamp.isdigit() or not signature:
            raise BadSignature("missing X-Hearth-Timestamp / X-Hearth-Signature")
        if abs(time.time() - int(timestamp)) > base.REPLAY_WINDOW:
            raise BadSignature("timestamp outside the 5-minute window")
        if not base.same(signature, sign(secret, request.body, int(timestamp))["X-Hearth-Signature"]):
            raise BadSignature("X-Hearth-Signature does not match")

    def classify(self, body: bytes, headers: dict) -> str:
        self._items(base.load_json(body))
        return "activities"

    def delivery_id(self, body: bytes, headers: dict) -> str:
        return header(headers, "X-Hearth-Delivery")

    def _items(self, data) -> list[dict]:
        items = data.get("items") if isinstance(data, dict) and "items" in data else [data]
        if not isinstance(items, list) or not items:
            raise MalformedPayload("expected an activity object or {'items': [...]} ")
        for index, entry in enumerate(items):
            if not isinstance(entry, dict):
                raise MalformedPayload(f"items[{index}] is not an object")
            missing = [key for key in REQUIRED if not entry.get(key)]
            if missing:
                raise MalformedPayload(f"items[{index}] misses {', '.join(missing)}")
            identity = entry["identity"]
            if not isinstance(identity, dict) or not identity.get("channel") or not identity.get("external_id"):
                raise MalformedPayload(f"items[{index}].identity needs channel and external_id")
        return items

    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        items = self._items(base.load_json(payload))
        result = []
        for entry in items:
            parsed = base.item(
                source=entry.get("source") or self.source,
                external_id=entry["external_id"],
                kind=entry["kind"],
                occurred_at=entry["occurred_at"],
                title=entry.get("title", ""),
                body=entry.get("body", ""),
                url=entry.get("url", ""),
                parent_external_id=entry.get("parent_external_id", ""),
                identity=entry["identity"],
                sentiment=entry.get("sentiment"),
                sentiment_label=entry.get("sentiment_label") or "",
            )
            result.append(parsed)
        return result


CONNECTOR = GenericConnector()
