"""Fixtures of the channel tests: a connection per kind in community A, signed deliveries, eager Celery."""

import hashlib
import hmac
import json
import time
from pathlib import Path

import pytest

from community.policy import Actor
from community.tenancy import community_scope
from integrations import http
from integrations.services.connections import connection_create
from tests.factories import owner_of

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str):
    return json.loads(fixture_bytes(name))


def owner_actor(community) -> Actor:
    owner = owner_of(community)
    return Actor(community=community, user_id=owner.user_id, member=owner)


def make_connection(community, kind: str, **kwargs):
    defaults = {
        "github": {"config": {"repo": "octocat/Hello-World"}, "credentials": {"token": "ghp_test_token_1234"}},
        "slack": {
            "config": {"team_id": "T061EG9R6", "channels": "C024BE91L"},
            "credentials": {"bot_token": "xoxb-test-token-5678", "signing_secret": "8f742231b10e8888abcd99yyyzzz85a5"},
        },
        "rss": {"config": {"feed_url": "https://blog.example.com/feed.xml"}},
        "discord": {
            "config": {"channel_ids": "1070000000000000000"},
            "credentials": {"bot_token": "MTA5ODc.discord-bot-token"},
        },
        "reddit": {
            "config": {"subreddits": "selfhosted", "keywords": "hearth"},
            "credentials": {"client_id": "p-jcoLKBynTLew", "client_secret": "gko_LXELoV07ZBNUXrvWZfzE3aI"},
        },
        "discourse": {
            "config": {"base_url": "https://forum.example.com", "api_username": "system"},
            "credentials": {"api_key": "discourse-key-0000"},
        },
        "youtube": {
            "config": {"channel_id": "UC_x5XG1OV2P6uZZ5FSM9Ttw"},
            "credentials": {"api_key": "AIzaSy-test-key"},
        },
        "mastodon": {
            "config": {"instance_url": "https://mastodon.social", "hashtag": "hearth"},
            "credentials": {"access_token": "mastodon-token-1234"},
        },
        "x": {"config": {"query": "@hearthhq -is:retweet"}, "credentials": {"bearer_token": "AAAA-x-bearer-token"}},
        "telegram": {"credentials": {"bot_token": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"}},
    }.get(kind, {})
    options = {"display_name": f"{kind} test", **defaults, **kwargs}
    with community_scope(community.pk):
        return connection_create(community=community, actor=owner_actor(community), kind=kind, **options)


def github_headers(secret: str, body: bytes, event: str, delivery: str = "72d3162e-cc78-11e3-81ab-4c9367dc0958"):
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {
        "HTTP_X_GITHUB_EVENT": event,
        "HTTP_X_GITHUB_DELIVERY": delivery,
        "HTTP_X_HUB_SIGNATURE_256": signature,
        "HTTP_USER_AGENT": "GitHub-Hookshot/044aadd",
    }


def slack_headers(signing_secret: str, body: bytes, timestamp: int | None = None):
    timestamp = int(timestamp if timestamp is not None else time.time())
    basestring = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(signing_secret.encode(), basestring, hashlib.sha256).hexdigest()
    return {"HTTP_X_SLACK_REQUEST_TIMESTAMP": str(timestamp), "HTTP_X_SLACK_SIGNATURE": signature}


@pytest.fixture
def no_sleep(monkeypatch):
    delays: list[float] = []
    monkeypatch.setattr(http, "_sleep", delays.append)
    return delays
