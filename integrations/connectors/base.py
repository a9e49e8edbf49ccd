"""The connector interface every platform implements, and the errors it may raise.

    fetch(connection, cursor) -> Page(events, next_cursor)   pull one page (polling / backfill)
    verify(request, connection)                                 check a webhook's signature (raise BadSignature)
    classify(body, headers) -> event type                       cheap shape check at the door (raise MalformedPayload)
    parse(payload, headers) -> list[ActivityItem dict]          turn a stored raw event into activity items

`classify` runs on webhook deliveries only and always reads the body (an unreadable one is a 400 even when it
carries the fetched-page header); `parse` decodes the stored body once and takes the event type from the
fetched-page header or from the decoded payload, never by calling `classify` (which would decode it again).

A `RawEvent` is what the inbox stores: bytes plus the headers that matter (the event type travels in the
`X-Hearth-Event` header for fetched pages). Parsers are pure functions of those bytes and headers, so a stored
event can be replayed at any time.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar

EVENT_HEADER = "X-Hearth-Event"
# How old a signed timestamp may be: where a platform signs one, a captured delivery replays only this long.
REPLAY_WINDOW = 60 * 5


class ConnectorError(Exception):
    pass


class BadSignature(ConnectorError):
    """The delivery is not from the platform: 401, nothing stored."""


class MalformedPayload(ConnectorError):
    """The body cannot be read: 400 at the door, a failed inbox event when fetched.

    Raised while fetching, it carries the `raw` page so the sync keeps it (failed, replayable).
    """

    def __init__(self, message: str, raw: "RawEvent | None" = None):
        super().__init__(message)
        self.raw = raw


class UnknownEvent(ConnectorError):
    """A well-formed event we do not turn into activity: stored and skipped."""


class NotRemovable(ConnectorError):
    """The platform (or this kind of activity on it) cannot be removed through its API with our credentials."""


@dataclass
class RawEvent:
    event_type: str
    body: bytes
    headers: dict = field(default_factory=dict)
    delivery_id: str = ""


@dataclass
class Page:
    events: list[RawEvent]
    next_cursor: dict
    has_more: bool = False


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    help: str = ""
    required: bool = True
    secret: bool = False
    url: bool = False  # an address Hearth fetches: validated against SSRF when saved (community.outbound)


@dataclass
class HandshakeResponse:
    """A reply the platform expects instead of a plain ack (Slack's url_verification, Discord's PING)."""

    body: Any
    status: int = 200


class Connector:
    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    source: ClassVar[str] = ""  # the Activity `source` and identity `channel` (the platform name)
    config_fields: ClassVar[tuple[Field, ...]] = ()
    credential_fields: ClassVar[tuple[Field, ...]] = ()
    polls: ClassVar[bool] = False
    receives_webhooks: ClassVar[bool] = False
    # headers worth keeping with a stored delivery (lower-case); auth headers never are.
    kept_headers: ClassVar[tuple[str, ...]] = ("content-type",)
    handled_events: ClassVar[frozenset[str]] = frozenset()

    # --- pull
    def fetch(self, connection, cursor: dict) -> Page:
        raise NotImplementedError

    def cursor_since(self, connection, since: datetime) -> dict:
        """The cursor that makes the next fetch start at `since` (resync from a date)."""
        return {"since": since.isoformat()}

    def check(self, connection) -> str:
        """Prove the credentials and configuration work; return a short human description. Raises on failure."""
        page = self.fetch(connection, dict(connection.sync_cursor or {}))
        return f"reachable; {len(page.events)} page(s) ready"

    # --- push
    def verify(self, request, connection) -> None:
        raise BadSignature("this channel does not accept webhooks")

    def handshake(self, body: bytes, headers: dict) -> HandshakeResponse | None:
        return None

    def classify(self, body: bytes, headers: dict) -> str:
        raise NotImplementedError

    def delivery_id(self, body: bytes, headers: dict) -> str:
        return ""

    def handles(self, event_type: str) -> bool:
        return event_type in self.handled_events

    # --- both
    def parse(self, payload: bytes, headers: dict) -> list[dict]:
        raise NotImplementedError

    # --- moderation
    def remove(self, connection, activity) -> None:
        """Delete `activity` (one we ingested) on the platform with the connection's credentials.

        Content already gone counts as removed (a retry after a lost answer must not fail); raises `NotRemovable`
        where the platform or this kind of activity offers no removal, and the `http` errors otherwise.
        """
        raise NotRemovable(f"{self.label} content cannot be removed from Hearth")


class JsonEventConnector(Connector):
    """A connector whose deliveries are JSON that names its own event type (Slack, Discord, Telegram).

    A fetched page names its type in X-Hearth-Event instead. `classify` always decodes the body, so a malformed
    one is a 400 at the door even when it carries that header; `parse` decodes once and asks `event_type`.
    """

    def classify(self, body: bytes, headers: dict) -> str:
        return self.event_type(load_json(body), headers)

    def event_type(self, data: Any, headers: dict) -> str:
        return header(headers, EVENT_HEADER) or self.delivery_event_type(data)

    def delivery_event_type(self, data: Any) -> str:
        """The event type of a decoded delivery; raise MalformedPayload when it has none."""
        raise NotImplementedError


# ---- helpers shared by connectors


def header(headers: dict, name: str, default: str = "") -> str:
    name = name.lower()
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return default


def load_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedPayload(f"body is not valid JSON: {error}") from None


def require(mapping: Any, *keys: str) -> Any:
    """Walk nested keys; a missing key makes the payload malformed (named in the error)."""
    value = mapping
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            raise MalformedPayload(f"missing field {'.'.join(keys)}")
        value = value[key]
    return value


def hmac_hex(secret: str, body: bytes, digestmod=hashlib.sha256) -> str:
    return hmac.new(secret.encode(), body, digestmod).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def iso(value: Any) -> str:
    """An aware ISO-8601 string from ISO text, epoch seconds, or datetime."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, int | float) or (isinstance(value, str) and value.replace(".", "", 1).isdigit()):
        return datetime.fromtimestamp(float(value), tz=UTC).isoformat()
    if isinstance(value, str) and value:
        text = value.replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise MalformedPayload(f"not a date: {value!r}") from None
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).isoformat()
    raise MalformedPayload("missing date")


def item(
    *,
    source: str,
    external_id: str,
    kind: str,
    occurred_at: Any,
    identity: dict,
    title: str = "",
    body: str = "",
    url: str = "",
    parent_external_id: str = "",
    extra: dict | None = None,
    sentiment: Any = None,
    sentiment_label: str = "",
) -> dict:
    """One Activity-API item (the contract of the members/activity issue); `kind` is an ActivityKind value.

    `sentiment`/`sentiment_label` only when the platform gives them; otherwise ingest scores the text itself.
    """
    result = {
        "source": source,
        "external_id": str(external_id),
        "kind": kind,
        "occurred_at": iso(occurred_at),
        # Booleans stay booleans: str(False) is "False", which reads as a verified email downstream.
        "identity": {k: v if isinstance(v, bool) else str(v) for k, v in identity.items() if v is not None and v != ""},
    }
    for key, value in (("title", title), ("body", body), ("url", url), ("parent_external_id", parent_external_id)):
        if value:
            result[key] = str(value)
    if extra:
        result["extra"] = extra
    if sentiment is not None:
        result["sentiment"] = sentiment
    if sentiment_label:
        result["sentiment_label"] = sentiment_label
    return result


def page_event(event_type: str, payload: Any, **headers: str) -> RawEvent:
    """A fetched page as an inbox event: the JSON body plus the event type header."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return RawEvent(event_type=event_type, body=body, headers={EVENT_HEADER: event_type, **headers})


def json_page(response, event_type: str, **headers: str) -> tuple[Any, RawEvent]:
    """A fetched JSON page and its inbox event; an unreadable page raises MalformedPayload carrying it."""
    raw = page_event(event_type, response.content, **headers)
    try:
        return json.loads(response.content), raw
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedPayload(f"{event_type}: page is not JSON ({error})", raw=raw) from None
