"""Reads of connected channels. Checked fetches raise 404 alike for missing and other communities' rows."""

from django.db.models import Case, OuterRef, QuerySet, Subquery, When
from django.http import Http404

from community.models import Community
from integrations.models import ChannelConnection, ChannelRemoval, InboxEvent, InboxStatus, SyncRun


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


def removal_for_activity(*, community: Community, activity_id: int) -> ChannelRemoval | None:
    """The platform-side removal asked for an activity, with its connection (for the platform's name)."""
    return (
        ChannelRemoval.objects.for_community(community)
        .filter(activity_id=activity_id)
        .select_related("connection")
        .first()
    )


def removal_annotations(*, community: Community, kind_field: str, kind: str, id_field: str) -> dict:
    """Annotations naming the platform-side removal of a row that points at an activity (`kind_field` = `kind`,
    `id_field` its id), one subquery each, so a list of such rows costs no query per row."""
    removal = ChannelRemoval.objects.filter(community_id=community.pk, activity_id=OuterRef(id_field))

    def value(field: str):
        return Case(When(**{kind_field: kind}, then=Subquery(removal.values(field)[:1])), default=None)

    return {"channel_removal_status": value("status"), "channel_removal_error": value("error")}
