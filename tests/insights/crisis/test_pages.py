"""The crisis page and an alert's page: open alerts first, acknowledge, assign, comment, draft, resolve (with a
confirmation) and reopen, each in the history with who; moderators act, plain members are refused; rules and the
webhook for managers; constant queries; no slow mode (the forum has none)."""

import pytest

from community.models import Role
from community.tenancy import community_scope
from insights.models import Alert, AlertEvent, AlertRule, CrisisSettings
from tests.factories import add_member, make_user, owner_of

from .conftest import make_alert

pytestmark = pytest.mark.django_db
CRISIS = "/c/alpha/manage/insights/crisis/"


def _events(community, alert):
    with community_scope(community.pk):
        return list(AlertEvent.objects.for_community(community).filter(alert=alert).order_by("pk")
                    .values_list("kind", "member_id", "assignee_member_id", "text"))  # fmt: skip


def _alert(community, alert):
    with community_scope(community.pk):
        return Alert.objects.for_community(community).get(pk=alert.pk)


def test_the_crisis_page_lists_open_alerts_and_is_in_the_menu(client, world):
    make_alert(world.a, status="resolved", n=5)
    make_alert(world.a, n=64)
    client.force_login(world.alice)
    html = client.get(CRISIS).content.decode()
    assert "Crisis watch" in html and "Needs attention" in html
    attention = html[html.index("Needs attention") : html.index("Recently resolved")]
    assert "Negative posts on Discord: 64" in attention and ": 5 in" not in attention
    assert 'for="webhook_url"' in html and "Email me new alerts" in html
    assert f'href="{CRISIS}"' in client.get("/c/alpha/manage/").content.decode()


def test_a_plain_member_cannot_see_the_crisis_page(client, world):
    alert = make_alert(world.a)
    client.force_login(world.bob)
    assert client.get(CRISIS).status_code == 403
    assert client.post(f"{CRISIS}{alert.pk}/", {"do": "acknowledge"}).status_code == 403
    assert _alert(world.a, alert).status == "open"


def test_staff_work_an_alert_and_every_step_is_in_the_history(client, world):
    alert = make_alert(world.a)
    mod = add_member(world.a, make_user("mo@example.com"), role=Role.MODERATOR, display_name="Mo")
    owner = owner_of(world.a)
    client.force_login(world.alice)
    url = f"{CRISIS}{alert.pk}/"
    assert client.post(url, {"do": "acknowledge"}).status_code == 302
    client.post(url, {"do": "assign", "member_id": str(mod.pk)})
    client.post(url, {"do": "comment", "text": "Checking the status page"})
    client.post(url, {"do": "draft", "draft": "We are on it."})
    client.post(url, {"do": "resolve", "note": "Fixed"})  # no confirmation: refused
    assert _alert(world.a, alert).status == "acknowledged"
    client.post(url, {"do": "resolve", "note": "Fixed", "confirm": "yes"})
    assert _alert(world.a, alert).status == "resolved" and _alert(world.a, alert).assignee_member_id == mod.pk
    assert _events(world.a, alert) == [
        ("acknowledged", owner.pk, None, ""), ("assigned", owner.pk, mod.pk, ""),
        ("commented", owner.pk, None, "Checking the status page"),
        ("commented", owner.pk, None, "Draft response: We are on it."), ("resolved", owner.pk, None, "Fixed"),
    ]  # fmt: skip
    html = client.get(url).content.decode()
    assert "History" in html and "Checking the status page" in html and "→ Mo" in html and "Reopen" in html
    client.post(url, {"do": "reopen"})
    assert _alert(world.a, alert).status == "open"


def test_assigning_to_a_plain_member_is_refused(client, world):
    alert = make_alert(world.a)
    client.force_login(world.alice)
    client.post(f"{CRISIS}{alert.pk}/", {"do": "assign", "member_id": str(world.bob_member.pk)})
    assert _alert(world.a, alert).assignee_member_id is None and _events(world.a, alert) == []


def test_the_alert_page_shows_its_activities_with_links_and_a_draft(client, world):
    from community.models import Activity

    with community_scope(world.a.pk):
        a = Activity.objects.create(community=world.a, kind="message", channel="discord", source="discord",
                                    external_id="m1", occurred_at=world.a.created_at, body="the app is down again",
                                    url="https://discord.com/channels/1/2/3", sentiment=-0.9, sentiment_label="negative")  # fmt: skip
    alert = make_alert(world.a, ids=(a.pk,))
    client.force_login(world.alice)
    html = client.get(f"{CRISIS}{alert.pk}/").content.decode()
    assert "the app is down again" in html and 'href="https://discord.com/channels/1/2/3"' in html
    assert 'for="draft"' in html and "we are looking into it" in html
    assert 'name="confirm"' in html and "required" in html


@pytest.mark.parametrize("rows", [1, 20])
def test_pages_cost_the_same_queries_with_few_or_many_alerts(client, world, rows, django_assert_num_queries):
    alerts = [make_alert(world.a, minutes_ago=i, ids=(1, 2, 3)) for i in range(rows)]
    with community_scope(world.a.pk):
        for alert in alerts:
            AlertEvent.objects.create(community=world.a, alert=alert, kind="commented", text="x",
                                      created_at=alert.raised_at, member_id=owner_of(world.a).pk)  # fmt: skip
    client.force_login(world.alice)
    client.get(CRISIS)  # warm the session
    with django_assert_num_queries(12):
        assert client.get(CRISIS).status_code == 200
    with django_assert_num_queries(12):
        assert client.get(f"{CRISIS}{alerts[0].pk}/").status_code == 200


def test_managers_switch_rules_and_edit_watch_lists_moderators_cannot(client, world):
    client.force_login(world.alice)
    client.get(CRISIS)
    with community_scope(world.a.pk):
        keyword = AlertRule.objects.for_community(world.a).get(kind="keyword")
        volume = AlertRule.objects.for_community(world.a).get(kind="volume")
    client.post(f"{CRISIS}rules/{volume.pk}/", {})  # the box unticked: off
    client.post(f"{CRISIS}rules/{keyword.pk}/", {"enabled": "1", "keywords": "Acme outage, Acmé  refund"})
    with community_scope(world.a.pk):
        volume.refresh_from_db()
        keyword.refresh_from_db()
    assert volume.enabled is False and keyword.keywords == ["Acme outage", "Acmé refund"] and keyword.enabled
    mod = add_member(world.a, make_user("mo@example.com"), role=Role.MODERATOR, display_name="Mo")
    client.force_login(mod.user)
    assert client.post(f"{CRISIS}rules/{volume.pk}/", {"enabled": "1"}).status_code == 403
    assert client.post(f"{CRISIS}webhook/", {"webhook_url": "https://hooks.slack.com/x"}).status_code == 403
    with community_scope(world.a.pk):
        volume.refresh_from_db()
        assert volume.enabled is False and CrisisSettings.objects.for_community(world.a).get().webhook_url == ""


def test_a_loopback_webhook_is_refused_on_the_page(client, world):
    client.force_login(world.alice)
    response = client.post(f"{CRISIS}webhook/", {"webhook_url": "http://127.0.0.1:8080/hook"}, follow=True)
    assert "cannot be used" in response.content.decode()
    with community_scope(world.a.pk):
        assert CrisisSettings.objects.for_community(world.a).get().webhook_url == ""


def test_staff_opt_in_and_out_of_alert_emails(client, world):
    client.force_login(world.alice)
    assert (
        "You get an email for every new alert"
        in client.post(f"{CRISIS}email/", {"on": "1"}, follow=True).content.decode()
    )
    assert "Email me new alerts" in client.post(f"{CRISIS}email/", {"on": "0"}, follow=True).content.decode()


def test_the_insights_dashboard_heads_with_unresolved_alerts(client, world):
    make_alert(world.a, n=64)
    make_alert(world.a, status="resolved", n=5)
    client.force_login(world.alice)
    html = client.get("/c/alpha/manage/insights/").content.decode()
    banner = html[html.index('class="card crisis-banner"') : html.index("All alerts")]
    assert "Negative posts on Discord: 64" in banner and ": 5 in" not in banner
