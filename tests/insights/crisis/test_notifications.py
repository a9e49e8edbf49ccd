"""A new alert reaches people once: the staff who opted in by email, the community's Slack or Discord webhook
through the guarded client (respx), even when a task is retried; private and loopback webhooks are refused."""

import json

import httpx
import pytest
import respx
from django.core import mail
from django.db import transaction

from community.errors import ServiceError
from community.models import Member, Role
from community.policy import Actor
from community.tenancy import community_scope
from insights.models import Alert, CrisisSettings
from insights.services.alert_notify import alert_email_send, alert_subscribe, alert_webhook_post
from insights.services.crisis import crisis_watch_ensure, crisis_webhook_set
from insights.tasks import evaluate_alerts_fanout_task, evaluate_alerts_task, notify_alert_task
from tests.factories import add_member, make_user, owner_of

from .conftest import make_alert
from .generate import NOW, weeks
from .test_detection import spike

pytestmark = pytest.mark.django_db
SLACK = "https://hooks.slack.com/services/T000/B000/XXXX"
DISCORD = "https://discord.com/api/webhooks/1/abc"


def _actor(member):
    return Actor(community=member.community, user_id=member.user_id, member=member)


def _webhook(community, url):
    with community_scope(community.pk):
        CrisisSettings.objects.for_community(community).update(webhook_url=url)


@respx.mock(assert_all_mocked=True)
def test_the_webhook_is_posted_once_even_when_the_task_runs_again(respx_mock, world):
    alert = make_alert(world.a)
    _webhook(world.a, SLACK)
    route = respx_mock.post(SLACK).mock(return_value=httpx.Response(200, text="ok"))
    with community_scope(world.a.pk):
        assert alert_webhook_post(community=world.a, alert_id=alert.pk) is True
        assert alert_webhook_post(community=world.a, alert_id=alert.pk) is False
    assert route.call_count == 1
    payload = json.loads(route.calls[0].request.content)
    assert payload["text"].startswith("Negative posts on Discord: 64 in the last hour, usually 3 ± 2 http")
    assert payload["text"].endswith(f"/c/{world.a.slug}/manage/insights/crisis/{alert.pk}/")


@respx.mock(assert_all_mocked=True)
def test_a_failed_post_rolls_its_claim_back_so_the_retry_posts(respx_mock, world):
    alert = make_alert(world.a)
    _webhook(world.a, DISCORD)
    route = respx_mock.post(DISCORD).mock(side_effect=[httpx.Response(503), httpx.Response(204)])
    with community_scope(world.a.pk):
        with pytest.raises(httpx.HTTPStatusError), transaction.atomic():  # the task's transaction
            alert_webhook_post(community=world.a, alert_id=alert.pk)
        assert Alert.objects.for_community(world.a).get(pk=alert.pk).posted_at is None
        assert alert_webhook_post(community=world.a, alert_id=alert.pk) is True
        assert alert_webhook_post(community=world.a, alert_id=alert.pk) is False
    assert route.call_count == 2
    assert set(json.loads(route.calls[1].request.content)) == {"content"}  # Discord's field


def test_no_webhook_means_no_call(world):
    alert = make_alert(world.a)
    with community_scope(world.a.pk):
        assert alert_webhook_post(community=world.a, alert_id=alert.pk) is False


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/hook", "http://localhost:8000/hook", "http://10.1.2.3/hook", "http://[::1]/x",
            "http://169.254.169.254/latest/meta-data", "ftp://hooks.example.com/x", "https://user:pw@example.com/"],
)  # fmt: skip
def test_private_and_loopback_webhooks_are_refused_when_saved(world, url):
    owner = owner_of(world.a)
    with community_scope(world.a.pk):
        crisis_watch_ensure(community=world.a)
        with pytest.raises(ServiceError):
            crisis_webhook_set(community=world.a, actor=_actor(owner), url=url)
        assert CrisisSettings.objects.for_community(world.a).get().webhook_url == ""


def test_the_email_goes_once_to_staff_who_opted_in(world):
    owner = owner_of(world.a)
    moderator = add_member(world.a, make_user("mo@example.com"), role=Role.MODERATOR, display_name="mo")
    add_member(world.a, make_user("quiet@example.com"), role=Role.MODERATOR, display_name="quiet")  # not opted in
    with community_scope(world.a.pk):
        alert_subscribe(community=world.a, actor=_actor(owner), subscribe=True)
        alert_subscribe(community=world.a, actor=_actor(moderator), subscribe=True)
        with pytest.raises(ServiceError):  # a plain member cannot opt in
            alert_subscribe(community=world.a, actor=_actor(world.bob_member), subscribe=True)
        Member.objects.for_community(world.a).filter(pk=moderator.pk).update(role=Role.MEMBER)  # demoted since
    alert = make_alert(world.a)
    with community_scope(world.a.pk):
        assert alert_email_send(community=world.a, alert_id=alert.pk) == 1
        assert alert_email_send(community=world.a, alert_id=alert.pk) == 0
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "Crisis watch: Negative posts on Discord: 64" in mail.outbox[0].subject
    assert f"/manage/insights/crisis/{alert.pk}/" in mail.outbox[0].body


@respx.mock(assert_all_mocked=True)
def test_end_to_end_a_spike_reaches_email_and_webhook_once(respx_mock, world, eager_celery,
                                                           django_capture_on_commit_callbacks, monkeypatch):  # fmt: skip
    monkeypatch.setattr("insights.services.crisis.timezone.now", lambda: NOW)
    weeks(world.a)
    spike(world.a)
    owner = owner_of(world.a)
    with community_scope(world.a.pk):
        alert_subscribe(community=world.a, actor=_actor(owner), subscribe=True)
    with community_scope(world.a.pk):
        crisis_webhook_set(community=world.a, actor=_actor(owner), url=SLACK)
    route = respx_mock.post(SLACK).mock(return_value=httpx.Response(200, text="ok"))
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate_alerts_task(world.a.pk) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate_alerts_task(world.a.pk) == 1  # the beat again a minute later: the same alert, updated
    with community_scope(world.a.pk):
        (alert,) = Alert.objects.for_community(world.a)
    notify_alert_task(world.a.pk, alert.pk)  # a re-delivered notification
    assert route.call_count == 1 and len(mail.outbox) == 1


def test_the_beat_fans_out_to_communities_with_recent_activity_only(world, monkeypatch):
    from django.utils import timezone

    weeks(world.a, until=timezone.now(), count=1)
    sent = []
    monkeypatch.setattr(evaluate_alerts_task, "delay", lambda community_id: sent.append(community_id))
    assert evaluate_alerts_fanout_task() == 1
    assert sent == [world.a.pk]
