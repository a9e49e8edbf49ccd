"""Reads of connected channels. Checked fetches raise 404 alike for missing and other communities' rows."""

from django.db.models import QuerySet
from django.http import Http404

from community.models import Community
from integrations.models import ChannelConnection, InboxEvent, InboxStatus, SyncRun


def connection_list(*, community: Community) -> QuerySet[ChannelConnection]:
    return ChannelConnection.objects.for_community(community).order_by("-created_at", "-id")


def access_connection(*, community: Community, connection_id: int) -> ChannelConnection:
    connection = ChannelConnection.objects.for_community(community).filter(pk=connection_id).first()
    if connection is None:
        raise Http404("No such channel.")
    return connection


def sync_run_list(*, community: Community, connection: ChannelConnection) -> QuerySet[SyncRun]:
    return SyncRun.objects.for_community(community).filter(connection=connection).order_by("-started_at", "-id")


def inbox_list(
    *, community: Community, connection: ChannelConnection, status: str | None = None
) -> QuerySet[InboxEvent]:
    events = InboxEvent.objects.for_community(community).filter(connection=connection)
    if status:
        events = events.filter(status=status)
    return events.defer("body").order_by("-received_at", "-id")


def access_inbox_event(*, community: Community, connection: ChannelConnection, event_id: int) -> InboxEvent:
    event = InboxEvent.objects.for_community(community).filter(connection=connection, pk=event_id).first()
    if event is None:
        raise Http404("No such event.")
    return event


def failed_inbox(*, community: Community, connection: ChannelConnection) -> QuerySet[InboxEvent]:
    return inbox_list(community=community, connection=connection, status=InboxStatus.FAILED)
