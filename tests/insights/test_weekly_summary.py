"""The weekly insights email: staff opt in on the dashboard; Mondays' fan-out mails last week's summary once."""

from datetime import UTC, datetime

from django.core import mail

from community.models import Member, Role
from community.policy import Actor
from community.tenancy import community_scope
from insights.models import WeeklySummarySubscription
from insights.services.conversations import conversations_update
from insights.services.reports import last_week, weekly_summary_send, weekly_summary_subscribe
from insights.services.rollups import rollups_update
from tests.factories import add_member, make_user
from tests.insights import dataset

URL = "/c/alpha/manage/insights/weekly-email/"
MONDAY = datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 in New York, Monday Mar 9: last week is Mar 2-8


def _subscribers(community):
    with community_scope(community.pk):
        return set(WeeklySummarySubscription.objects.for_community(community).values_list("member_id", flat=True))


def _owner_member(community, user):
    with community_scope(community.pk):
        return Member.objects.for_community(community).get(user=user)


def test_staff_opt_in_and_out_on_the_dashboard_members_cannot(client, world):
    client.force_login(world.alice)
    assert b"Email me a weekly summary" in client.get("/c/alpha/manage/insights/").content
    assert client.post(URL, {"subscribe": "1"}).status_code == 302
    alice = _owner_member(world.a, world.alice)
    assert _subscribers(world.a) == {alice.pk}
    assert b"Stop my weekly email" in client.get("/c/alpha/manage/insights/").content
    client.post(URL, {"subscribe": "0"})
    assert _subscribers(world.a) == set()
    client.force_login(world.bob)  # a plain member
    assert client.post(URL, {"subscribe": "1"}).status_code == 403
    assert _subscribers(world.a) == set()


def test_last_week_is_the_last_full_local_week():
    from community.models import Community

    community = Community(settings={"timezone": "America/Los_Angeles"})
    # Monday 12:00 UTC is Monday 05:00 in Los Angeles (PDT from Mar 8): the week that just ended is Mar 9-15.
    assert [d.isoformat() for d in last_week(community, datetime(2026, 3, 16, 12, tzinfo=UTC))] == [
        "2026-03-09", "2026-03-15",
    ]  # fmt: skip
    community.settings = {"timezone": "Pacific/Kiritimati"}  # UTC+14: already Tuesday 02:00
    assert last_week(community, datetime(2026, 3, 16, 12, tzinfo=UTC))[0].isoformat() == "2026-03-09"


def test_the_summary_goes_once_to_subscribed_staff_with_the_weeks_figures(world):
    ids = dataset.load(world.a) + dataset.ingest(world.a, dataset.LATE)
    with community_scope(world.a.pk):
        rollups_update(community=world.a, activity_ids=ids)
        conversations_update(community=world.a, activity_ids=ids)
    alice = _owner_member(world.a, world.alice)
    demoted_user = make_user("former-mod@example.com")
    demoted = add_member(world.a, demoted_user, role=Role.MODERATOR)
    with community_scope(world.a.pk):
        for member in (alice, demoted):
            weekly_summary_subscribe(
                community=world.a, actor=Actor(community=world.a, user_id=member.user_id, member=member), subscribe=True
            )
        Member.objects.for_community(world.a).filter(pk=demoted.pk).update(role=Role.MEMBER)
        sent = weekly_summary_send(community=world.a, now=MONDAY)
        again = weekly_summary_send(community=world.a, now=MONDAY)
    assert (sent, again) == (1, 0)  # the demoted moderator gets nothing; a re-run sends nothing twice
    [email] = mail.outbox
    assert email.to == [alice.email]
    assert email.subject == "[Alpha] Insights, week of 2 Mar 2026"
    # Mar 2-8 in New York, staff and bots left out: cat Mar 6, ann twice Mar 7, bob Mar 8 = 4 activities by 3.
    assert "Activities: 4" in email.body and "Active members: 3" in email.body and "New members: 3" in email.body
    # ann's Mar 7 message is the week's one conversation, unanswered: 0 %, no median.
    assert "Response rate: 0 %" in email.body and "Median first response: -" in email.body
    assert "Community health: 51/100" in email.body  # growth 20 (nobody before), activity 20, sentiment 11
    assert "Most negative threads\n  1. a2 (sentiment -0.40 over 1)" in email.body  # ann's Mar 7 message
    assert "/c/alpha/manage/insights/?days=custom&start=2026-03-02&end=2026-03-08" in email.body


def test_the_monday_fan_out_reaches_every_community_with_a_subscriber(world, eager_celery):
    from insights.tasks import weekly_summary_fanout_task

    for community, user in ((world.a, world.alice), (world.b, world.charlie)):
        member = _owner_member(community, user)
        with community_scope(community.pk):
            WeeklySummarySubscription.objects.create(community=community, member_id=member.pk)
    assert weekly_summary_fanout_task.delay().get() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.com", "charlie@example.com"]
