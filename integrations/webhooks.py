"""The inbound webhook endpoint: POST /hooks/<connection uuid>/ — global by path, tenant by connection.

Order matters: verify the signature before reading anything (a bad one is 401 and nothing is stored), answer
handshakes, refuse unreadable bodies with 400 and the reason, store the raw delivery, enqueue its processing
after commit, and acknowledge quickly. Unknown event types are stored as skipped, never a 500.
"""

import logging
import uuid

from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community.tenancy import community_scope, unscoped
from integrations.connectors import get_connector
from integrations.connectors.base import BadSignature, MalformedPayload
from integrations.models import ChannelConnection, ConnectionStatus, InboxStatus
from integrations.services.inbox import inbox_store_delivery, webhook_event

logger = logging.getLogger("hearth.integrations.webhooks")


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, "fields": {}}}, status=status)


def connection_for_webhook(connection_uuid: uuid.UUID) -> ChannelConnection | None:
    """The path names the connection, the connection names the community: the one cross-tenant lookup here."""
    with unscoped("webhook delivery: resolve the connection by its uuid", level=logging.DEBUG):
        return ChannelConnection.objects.select_related("community").filter(uuid=connection_uuid).first()


@csrf_exempt
@require_POST
def receive(request, connection_uuid):
    connection = connection_for_webhook(connection_uuid)
    if connection is None:
        raise Http404("No such channel.")
    connector = get_connector(connection.kind)
    if not connector.receives_webhooks:
        raise Http404("No such channel.")
    try:
        body = request.body
    except RequestDataTooBig:
        return _error("too_large", "The delivery is larger than this endpoint accepts.", 413)
    try:
        connector.verify(request, connection)
    except BadSignature as error:
        # Logged without the body: it is unauthenticated input.
        logger.warning("webhook refused: connection=%s reason=%s", connection.pk, error)
        return _error("bad_signature", "The signature does not match.", 401)
    try:
        handshake = connector.handshake(body, request.headers)
        if handshake is not None:
            return JsonResponse(handshake.body, status=handshake.status, safe=False)
        raw, handled = webhook_event(connection, body, request.headers)
    except MalformedPayload as error:
        return _error("malformed", str(error), 400)

    community_id = connection.community_id
    with community_scope(community_id):
        status = InboxStatus.RECEIVED if handled else InboxStatus.SKIPPED
        error = "" if handled else f"not an activity: {raw.event_type}"
        event, duplicate = inbox_store_delivery(
            community=connection.community, connection=connection, event=raw, status=status, error=error
        )
    if duplicate:  # acknowledged so the platform stops resending; stored and processed once, already
        return JsonResponse({"ok": True, "event": event.pk, "status": event.status, "duplicate": True})
    if handled and connection.status != ConnectionStatus.PAUSED:
        from integrations.tasks import process_inbox_task

        # robust: the delivery is stored; if the broker is down, the beat's sweep of stale events processes it
        # later, so the platform gets its 200 rather than a 503 that would make it resend (tests/faults).
        transaction.on_commit(lambda: process_inbox_task.delay(community_id, [event.pk]), robust=True)
    return JsonResponse({"ok": True, "event": event.pk, "status": status})
