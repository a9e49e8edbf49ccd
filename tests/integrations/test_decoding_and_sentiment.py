"""A stored page is decoded once; an unreadable webhook body is a 400 even with the fetched-page header;
the worker pipeline stores sentiment (the source's own, or VADER's)."""

import json
import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from community.models import Activity
from community.tenancy import community_scope
from integrations.connectors import base, get_connector
from integrations.connectors.generic import sign
from integrations.models import InboxEvent

from .conftest import fixture_bytes, make_connection, slack_headers

MALFORMED = b'{"messages": [{"ts": "1.0", "user": "U1"'


def _discord_connection_and_headers(world, body: bytes):
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    connection = make_connection(
        world.a, "discord", config={"channel_ids": "1070000000000000000", "public_key": public}
    )
    timestamp = str(int(time.time()))
    signed = {
        "HTTP_X_SIGNATURE_ED25519": key.sign(timestamp.encode() + body).hex(),
        "HTTP_X_SIGNATURE_TIMESTAMP": timestamp,
    }
    return connection, signed


def _signed(world, kind: str, body: bytes):
    if kind == "slack":
        connection = make_connection(world.a, "slack")
        return connection, slack_headers(connection.credentials["signing_secret"], body)
    if kind == "discord":
        return _discord_connection_and_headers(world, body)
    connection = make_connection(world.a, "telegram")
    return connection, {"HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN": connection.webhook_secret}


@pytest.mark.parametrize(
    ("kind", "event"),
    [("slack", "rest:conversations.history"), ("discord", "rest:messages"), ("telegram", "rest:getUpdates")],
)
def test_malformed_webhook_body_with_the_fetched_page_header_is_400(client, world, kind, event):
    connection, headers = _signed(world, kind, MALFORMED)
    response = client.post(
        f"/hooks/{connection.uuid}/", MALFORMED, content_type="application/json", HTTP_X_HEARTH_EVENT=event, **headers
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["message"]
    with community_scope(world.a.pk):
        assert not InboxEvent.objects.for_community(world.a).exists()


@pytest.mark.parametrize(
    ("kind", "fixture", "event", "extra_headers"),
    [
        ("slack", "slack/conversations_history_page1.json", "rest:conversations.history",
         {"X-Hearth-Team": "T061EG9R6", "X-Hearth-Channel": "C024BE91L"}),
        ("discord", "discord/messages.json", "rest:messages", {}),
        ("telegram", "telegram/get_updates.json", "rest:getUpdates", {}),
    ],
)  # fmt: skip
def test_a_fetched_page_is_decoded_once(monkeypatch, kind, fixture, event, extra_headers):
    decoded = []
    real = base.load_json

    def counting(body):
        decoded.append(body)
        return real(body)

    monkeypatch.setattr(base, "load_json", counting)
    items = get_connector(kind).parse(fixture_bytes(fixture), {base.EVENT_HEADER: event, **extra_headers})
    assert items
    assert len(decoded) == 1


def test_worker_pipeline_keeps_the_sources_sentiment_and_scores_the_rest(
    client, world, eager_celery, django_capture_on_commit_callbacks
):
    connection = make_connection(world.a, "generic")
    identity = {"channel": "meetup", "external_id": "m-9", "name": "Ada"}
    item = {"source": "meetup", "kind": "comment", "occurred_at": "2026-03-01T18:00:00Z", "identity": identity}
    body = json.dumps(
        {
            "items": [
                {**item, "external_id": "c1", "body": "What a wonderful, helpful meetup!"},
                {**item, "external_id": "c2", "body": "What a wonderful, helpful meetup!", "sentiment": -0.25},
                {**item, "external_id": "c3", "kind": "event_rsvp"},
            ]
        }
    ).encode()
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in sign(connection.webhook_secret, body).items()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/hooks/{connection.uuid}/", body, content_type="application/json", **headers)
    assert response.status_code == 200
    with community_scope(world.a.pk):
        stored = {a.external_id: a for a in Activity.objects.for_community(world.a)}
    assert stored["c1"].sentiment > 0.05 and stored["c1"].sentiment_label == "positive"
    assert (stored["c2"].sentiment, stored["c2"].sentiment_label) == (-0.25, "negative")
    assert (stored["c3"].sentiment, stored["c3"].sentiment_label) == (None, "")
