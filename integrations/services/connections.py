"""Managing channel connections: create, update, pause, resume, resync from a date, disconnect, check."""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from community.errors import ServiceError
from community.models import Community, Role
from community.outbound import url_refusal
from community.policy import Actor, can
from community.selectors import staff_emails
from community.task_queue import enqueue_on_commit
from community.tenancy import community_scope
from integrations import http
from integrations.connectors import KINDS, get_connector
from integrations.connectors.base import ConnectorError
from integrations.models import ChannelConnection, ConnectionStatus, InboxEvent, InboxStatus
from integrations.models.connection import new_webhook_secret

logger = logging.getLogger("hearth.integrations")

MIN_POLL_INTERVAL = 60


def _require(actor: Actor, action: str = "channels.manage") -> None:
    if not can(actor, action):
        raise ServiceError("Your role or key scopes do not allow managing channels.", code="permission_denied")


def _clean_config(kind: str, config: dict) -> dict:
    connector = get_connector(kind)
    allowed = {f.name for f in connector.config_fields}
    cleaned = {key: str(value).strip() for key, value in (config or {}).items() if key in allowed and value}
    for field in connector.config_fields:
        if field.required and not cleaned.get(field.name):
            raise ServiceError(f"{field.label} is required.", field=field.name)
        if field.url and cleaned.get(field.name):
            refusal = url_refusal(cleaned[field.name])
            if refusal:
                raise ServiceError(f"{field.label}: {refusal}", field=field.name)
    return cleaned


def _clean_credentials(kind: str, credentials: dict, existing: dict | None = None) -> dict:
    connector = get_connector(kind)
    allowed = {f.name for f in connector.credential_fields}
    merged = dict(existing or {})
    merged.update({key: str(value).strip() for key, value in (credentials or {}).items() if key in allowed and value})
    return merged


def _clean_interval(value) -> int:
    try:
        interval = int(value)
    except (TypeError, ValueError):
        raise ServiceError("Poll interval must be a number of seconds.", field="poll_interval") from None
    if interval and interval < MIN_POLL_INTERVAL:
        raise ServiceError(
            f"Poll at most every {MIN_POLL_INTERVAL} seconds (0 turns polling off).", field="poll_interval"
        )
    return interval


def connection_create(
    *,
    community: Community,
    actor: Actor,
    kind: str,
    display_name: str,
    config: dict | None = None,
    credentials: dict | None = None,
    poll_interval: int | None = None,
) -> ChannelConnection:
    _require(actor)
    if kind not in KINDS:
        raise ServiceError(f"Unknown channel kind {kind!r}.", field="kind")
    connector = get_connector(kind)
    if not display_name or not display_name.strip():
        raise ServiceError("Give the connection a name.", field="display_name")
    connection = ChannelConnection(
        community=community,
        kind=kind,
        display_name=display_name.strip()[:120],
        config=_clean_config(kind, config or {}),
        poll_interval=_clean_interval(poll_interval if poll_interval is not None else 900) if connector.polls else 0,
        next_poll_at=timezone.now(),
        created_by_id=actor.user_id,
    )
    connection.credentials = _clean_credentials(kind, credentials or {})
    if connector.receives_webhooks:
        connection.webhook_secret = new_webhook_secret()
    connection.save()
    logger.info("channel connected: community=%s connection=%s kind=%s", community.pk, connection.pk, kind)
    return connection


def connection_update(
    *,
    community: Community,
    actor: Actor,
    connection: ChannelConnection,
    display_name: str | None = None,
    config: dict | None = None,
    credentials: dict | None = None,
    poll_interval: int | None = None,
) -> ChannelConnection:
    """Blank credential fields keep the stored secret (they are never shown back, so forms submit them empty)."""
    _require(actor)
    if display_name is not None:
        if not display_name.strip():
            raise ServiceError("Give the connection a name.", field="display_name")
        connection.display_name = display_name.strip()[:120]
    if config is not None:
        connection.config = _clean_config(connection.kind, {**connection.config, **config})
    if credentials:
        connection.credentials = _clean_credentials(connection.kind, credentials, existing=connection.credentials)
        if connection.status == ConnectionStatus.NEEDS_REAUTH:
            connection.status, connection.last_error = ConnectionStatus.ACTIVE, ""
            connection.next_poll_at = timezone.now()
    if poll_interval is not None and get_connector(connection.kind).polls:
        connection.poll_interval = _clean_interval(poll_interval)
    connection.save()
    return connection


def connection_pause(*, community: Community, actor: Actor, connection: ChannelConnection) -> ChannelConnection:
    _require(actor)
    connection.status = ConnectionStatus.PAUSED
    connection.save(update_fields=["status"])
    return connection


def connection_resume(*, community: Community, actor: Actor, connection: ChannelConnection) -> ChannelConnection:
    """Back to active; deliveries received while paused are processed now."""
    _require(actor)
    connection.status, connection.last_error = ConnectionStatus.ACTIVE, ""
    connection.next_poll_at = timezone.now()
    connection.save(update_fields=["status", "last_error", "next_poll_at"])
    pending = list(
        InboxEvent.objects.for_community(community)
        .filter(connection=connection, status=InboxStatus.RECEIVED)
        .values_list("pk", flat=True)[:1000]
    )
    if pending:
        enqueue_on_commit("integrations.process_inbox", community.pk, pending)
    return connection


def connection_resync_from(
    *, community: Community, actor: Actor, connection: ChannelConnection, since: datetime
) -> ChannelConnection:
    """Restart the history from `since`; activities already stored are recognised, not duplicated."""
    _require(actor)
    connector = get_connector(connection.kind)
    if not connector.polls:
        raise ServiceError("This channel only receives webhooks; there is no history to pull.", field="since")
    if timezone.is_naive(since):
        since = timezone.make_aware(since, UTC)
    connection.sync_cursor = connector.cursor_since(connection, since)
    connection.next_poll_at = timezone.now()
    connection.save(update_fields=["sync_cursor", "next_poll_at"])
    enqueue_on_commit("integrations.sync_connection", community.pk, connection.pk, "resync")
    return connection


def connection_disconnect(*, community: Community, actor: Actor, connection: ChannelConnection) -> None:
    """Delete the connection, its inbox and history; activities already recorded stay."""
    _require(actor)
    logger.info("channel disconnected: community=%s connection=%s", community.pk, connection.pk)
    connection.delete()


def connection_rotate_webhook_secret(*, community: Community, actor: Actor, connection: ChannelConnection) -> str:
    _require(actor)
    secret = new_webhook_secret()
    connection.webhook_secret = secret
    connection.save(update_fields=["webhook_secret_encrypted"])
    return secret


def connection_check_request(*, community: Community, actor: Actor, connection: ChannelConnection) -> ChannelConnection:
    """Queue a check of the connection in the worker; its outcome shows on the connection (last_check_*)."""
    _require(actor)
    connection.last_check_requested_at, connection.last_check_ok = timezone.now(), None
    connection.last_check_message = "Checking…"
    connection.save(update_fields=["last_check_requested_at", "last_check_ok", "last_check_message"])
    enqueue_on_commit("integrations.check_connection", community.pk, connection.pk)
    return connection


def connection_check_run(*, community_id: int, connection_id: int) -> bool | None:
    """Call the platform once, quickly (no retries, short timeouts), and record the outcome on the connection.

    Runs in the worker for a check someone asked for (connection_check_request decided they may). The call is made
    outside any transaction; on revoked credentials the connection is marked as needing re-authorisation.
    None when the connection is gone.
    """
    with community_scope(community_id):
        connection = ChannelConnection.objects.filter(community_id=community_id, pk=connection_id).first()
    if connection is None:
        return None
    connector = get_connector(connection.kind)
    reauth_error = ""
    if not connector.polls:
        ok, message = True, "Webhook-only channel: send a test delivery from the platform to check it."
    else:
        try:
            with http.quick():
                ok, message = True, connector.check(connection)
        except http.AuthFailed as error:
            ok, message, reauth_error = False, f"The platform refused the credentials: {error}", str(error)
        except http.RateLimited as error:
            ok, message = False, f"Rate limited by the platform; try again in {error.wait}s."
        except (http.HttpProblem, ConnectorError) as error:
            ok, message = False, str(error)
    with community_scope(community_id):
        fields = ["last_check_at", "last_check_ok", "last_check_message"]
        connection.last_check_at, connection.last_check_ok = timezone.now(), ok
        connection.last_check_message = message[:500]
        if ok and connection.status in (ConnectionStatus.FAILING, ConnectionStatus.NEEDS_REAUTH):
            connection.status, connection.last_error = ConnectionStatus.ACTIVE, ""
            fields += ["status", "last_error"]
        connection.save(update_fields=fields)
        if reauth_error:
            connection_mark_needs_reauth(connection=connection, error=reauth_error)
    return ok


def connection_mark_needs_reauth(*, connection: ChannelConnection, error: str) -> None:
    newly = connection.status != ConnectionStatus.NEEDS_REAUTH
    connection.status = ConnectionStatus.NEEDS_REAUTH
    connection.last_error, connection.last_error_at = error[:2000], timezone.now()
    connection.save(update_fields=["status", "last_error", "last_error_at"])
    logger.warning("channel needs re-authorisation: connection=%s", connection.pk)
    if newly:  # tell the people who can fix it, once per episode (not on every failed poll)
        transaction.on_commit(lambda: _email_needs_reauth(connection))


def _email_needs_reauth(connection: ChannelConnection) -> None:
    community = connection.community
    with community_scope(community.pk):  # runs after commit, outside the caller's scope
        recipients = staff_emails(community=community, roles=(Role.OWNER, Role.ADMIN, Role.MANAGER))
    if not recipients:
        return
    path = reverse(
        "community:integrations:channel_detail",
        kwargs={"community_slug": community.slug, "connection_id": connection.pk},
    )
    send_mail(
        subject=f"[{community.name}] {connection.display_name} needs to be reconnected",
        message=(
            f"Hearth can no longer read {connection.display_name} ({connection.kind}): the platform "
            "refused its credentials (expired or revoked). Nothing new arrives from it until it is reconnected.\n\n"
            f"Update the credentials here: {settings.HEARTH_BASE_URL}{path}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def connection_mark_failing(*, connection: ChannelConnection, error: str) -> None:
    connection.status = ConnectionStatus.FAILING
    connection.last_error, connection.last_error_at = error[:2000], timezone.now()
    connection.save(update_fields=["status", "last_error", "last_error_at"])


def next_poll(connection: ChannelConnection, wait: int | None = None):
    return timezone.now() + timedelta(seconds=wait if wait is not None else max(connection.poll_interval, 60))
