"""Crisis-watch fixtures: alerts made directly (the detection tests make them the real way)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.tenancy import community_scope
from hearth.celery import app as celery_app
from insights.models import Alert
from insights.services.crisis import crisis_watch_ensure


def make_alert(community, *, kind="sentiment", channel="discord", status="open", minutes_ago=0, ids=(1, 2), n=64):
    now = timezone.now() - timedelta(minutes=minutes_ago)
    with community_scope(community.pk):
        crisis_watch_ensure(community=community)
        return Alert.objects.create(
            community=community, kind=kind, channel=channel, scope_key=f"{kind}:{channel}:{now.timestamp()}",
            status=status, raised_at=now, updated_at=now, window_start=now - timedelta(hours=1), window_end=now,
            observed=n, expected=3, spread=2, summary=f"Negative posts on Discord: {n} in the last hour, usually 3 ± 2",
            activity_ids=list(ids), resolved_at=now if status == "resolved" else None,
        )  # fmt: skip


@pytest.fixture
def eager_celery():
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous
