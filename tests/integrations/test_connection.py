"""Connections at rest: encrypted credentials (MultiFernet, rotation, masking), status changes, paused deliveries."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from community.tenancy import community_scope
from integrations import crypto
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, InboxStatus
from integrations.services.connections import connection_pause, connection_update

from .conftest import fixture_bytes, github_headers, make_connection, owner_actor


def test_credentials_are_stored_encrypted_and_read_back(world):
    connection = make_connection(world.a, "github")
    with community_scope(world.a.pk):
        stored = ChannelConnection.objects.for_community(world.a).get()
    assert "ghp_test_token_1234" not in stored.credentials_encrypted
    assert stored.credentials == {"token": "ghp_test_token_1234"}
    assert stored.masked_credentials == {"token": "••••1234"}
    assert connection.webhook_secret and connection.webhook_secret not in stored.webhook_secret_encrypted


def test_a_new_key_first_still_reads_tokens_of_the_old_key(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.HEARTH_FERNET_KEYS = [old]
    token = crypto.encrypt_json({"token": "abc"})
    settings.HEARTH_FERNET_KEYS = [new, old]
    assert crypto.decrypt_json(token) == {"token": "abc"}
    rotated = crypto.rotate(token)
    settings.HEARTH_FERNET_KEYS = [new]
    assert crypto.decrypt_json(rotated) == {"token": "abc"}


def test_production_without_keys_refuses(settings):
    settings.HEARTH_FERNET_KEYS, settings.DEBUG, settings.TESTING, settings.LOCAL = [], False, False, False
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt_json({"token": "abc"})


def test_new_credentials_reactivate_a_connection_that_needed_reauth(world):
    connection = make_connection(world.a, "github")
    with community_scope(world.a.pk):
        ChannelConnection.objects.for_community(world.a).filter(pk=connection.pk).update(
            status=ConnectionStatus.NEEDS_REAUTH, last_error="401"
        )
        connection.refresh_from_db()
        connection_update(
            community=world.a, actor=owner_actor(world.a), connection=connection, credentials={"token": "ghp_new9999"}
        )
        connection.refresh_from_db()
    assert connection.status == ConnectionStatus.ACTIVE and connection.last_error == ""
    assert connection.credentials == {"token": "ghp_new9999"}


def test_deliveries_to_a_paused_connection_are_kept_for_later(client, world, django_capture_on_commit_callbacks):
    connection = make_connection(world.a, "github")
    with community_scope(world.a.pk):
        connection_pause(community=world.a, actor=owner_actor(world.a), connection=connection)
    body = fixture_bytes("github/issues.opened.json")
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"/hooks/{connection.uuid}/",
            body,
            content_type="application/json",
            **github_headers(connection.webhook_secret, body, "issues"),
        )
    assert response.status_code == 200 and callbacks == []
    with community_scope(world.a.pk):
        assert InboxEvent.objects.for_community(world.a).get().status == InboxStatus.RECEIVED


def test_sync_runs_endpoint_lists_history(client, world):
    from integrations.models import SyncRun

    connection = make_connection(world.a, "github")
    with community_scope(world.a.pk):
        SyncRun.objects.create(community=world.a, connection=connection, status="succeeded", items_created=3)
    body = client.get(f"/api/v1/channels/{connection.pk}/sync-runs/", HTTP_AUTHORIZATION=f"Bearer {world.a_key}").json()
    assert [(r["status"], r["items_created"]) for r in body["results"]] == [("succeeded", 3)]
