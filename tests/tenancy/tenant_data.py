"""Objects the cross-tenant walk needs in community B: one of each resource a route can name.

Each area appends a builder `fn(community, owner_user)` to BUILDERS, called inside B's scope.
"""

from datetime import timedelta

from django.utils import timezone

from community.models import Invitation

BUILDERS = []


def builder(fn):
    BUILDERS.append(fn)
    return fn


@builder
def _invitation(community, owner_user):
    Invitation.objects.create(
        community=community,
        email="sentinel-bravo-invitee@example.com",
        invited_by=owner_user,
        expires_at=timezone.now() + timedelta(days=7),
    )


@builder
def _discussions(community, owner_user):
    from tests.discussions.factories import populate_forum

    populate_forum(community)


@builder
def _channels(community, owner_user):
    from integrations.models import ChannelConnection, InboxEvent

    connection = ChannelConnection.objects.create(
        community=community, kind="github", display_name="Sentinel Bravo Community repo", config={"repo": "b/b"}
    )
    InboxEvent.objects.create(
        community=community, connection=connection, event_type="issues", body=b"{}", status="failed", error="x"
    )


@builder
def _members(community, owner_user):
    from tests.community.factories import populate_members

    populate_members(community, owner_user)


@builder
def _insights(community, owner_user):
    """B's activities rolled up, so B's metrics hold numbers A's actors must never read."""
    from community.models import Activity
    from insights.services.rollups import rollups_update

    rollups_update(
        community=community, activity_ids=list(Activity.objects.for_community(community).values_list("pk", flat=True))
    )
    from insights.models import DashboardShare

    DashboardShare.objects.create(
        community=community, label="Sentinel Bravo share", expires_at=timezone.now() + timedelta(days=7)
    )
    # B's crisis watch: its default rules and an open alert A must never see, acknowledge or resolve.
    from insights.models import Alert
    from insights.services.crisis import crisis_watch_ensure
    from insights.services.hourly import hourstats_update

    hourstats_update(
        community=community, activity_ids=list(Activity.objects.for_community(community).values_list("pk", flat=True))
    )
    crisis_watch_ensure(community=community)
    now = timezone.now()
    Alert.objects.create(
        community=community,
        kind="sentiment",
        channel="discord",
        scope_key="sentiment:discord",
        raised_at=now,
        updated_at=now,
        window_start=now - timedelta(hours=1),
        window_end=now,
        observed=64,
        expected=3,
        summary="Sentinel Bravo alert: negative posts on Discord",
        activity_ids=[],
    )


@builder
def _moderation(community, owner_user):
    """B's queue (a flagged topic, an appeal), a sanction and its log: A's moderators must reach none of it."""
    from community.models import Member
    from discussions.models import Topic
    from moderation.models import Appeal, Flag, LogEntry, MemberTrust, QueueItem, Sanction, WatchedWord

    member = Member.objects.for_community(community).order_by("pk").first()
    topic = Topic.objects.for_community(community).order_by("pk").first()
    item = QueueItem.objects.create(
        community=community, subject_kind="topic", subject_id=topic.pk, source="flag", author=member,
        title="Sentinel Bravo Topic", excerpt="SENTINEL-B-TOPIC", flag_count=1, priority=1,
    )  # fmt: skip
    Flag.objects.create(
        community=community, subject_kind="topic", subject_id=topic.pk, reporter=member, reason="spam", item=item,
        note="SENTINEL-B-FLAG",
    )  # fmt: skip
    sanction = Sanction.objects.create(
        community=community, member=member, kind="warn", reason="SENTINEL-B-SANCTION", issued_by_label="Sentinel"
    )
    appeal = Appeal.objects.create(community=community, sanction=sanction, member=member, body="SENTINEL-B-APPEAL")
    QueueItem.objects.create(
        community=community, subject_kind="appeal", subject_id=appeal.pk, source="appeal", author=member,
        excerpt="SENTINEL-B-APPEAL",
    )  # fmt: skip
    LogEntry.objects.create(
        community=community, actor_label="Sentinel", action="sanction.warn", reason="SENTINEL-B-LOG"
    )
    WatchedWord.objects.create(community=community, pattern="sentinelbword", action="flag", message="SENTINEL-B-WORD")
    MemberTrust.objects.create(community=community, member=member, level=3, stats={"note": "SENTINEL-B-TRUST"})


@builder
def _feedback(community, owner_user):
    """B's board, an idea with a vote, a follower and evidence, and a changelog entry: none of it reachable from A."""
    from community.models import Activity, Member
    from feedback.models import ChangelogEntry, Evidence, Follower, Vote
    from feedback.services.boards import board_create
    from feedback.services.ideas import idea_post
    from tests.discussions.conftest import actor_for

    owner = Member.objects.for_community(community).filter(user=owner_user).first()
    actor = actor_for(community, owner)
    board = board_create(community=community, actor=actor, name="Sentinel Bravo Board")
    idea = idea_post(community=community, actor=actor, board=board, title="Sentinel Bravo Idea", body="SENTINEL-B-IDEA")
    voter = Member.objects.for_community(community).exclude(pk=owner.pk).order_by("pk").first()
    Vote.objects.create(community=community, idea=idea, member=voter)
    Follower.objects.get_or_create(community=community, idea=idea, member=voter)
    activity = Activity.objects.for_community(community).order_by("pk").first()
    Evidence.objects.create(community=community, idea=idea, activity=activity, note="SENTINEL-B-EVIDENCE")
    ChangelogEntry.objects.create(
        community=community, title="Sentinel Bravo Changelog", body="SENTINEL-B-CHANGELOG",
        body_html="<p>SENTINEL-B-CHANGELOG</p>", idea=idea, published_at=idea.created_at,
    )  # fmt: skip


def populate(community, owner_user) -> None:
    for fn in BUILDERS:
        fn(community, owner_user)
