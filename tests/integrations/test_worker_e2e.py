"""End to end with a real Celery worker process on Redis: a webhook delivery becomes an activity, a duplicate
delivery stays one activity, and a worker killed mid-batch (SIGKILL) loses nothing and duplicates nothing."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection as db_connection
from django.db import connections

from community.models import Activity
from community.tenancy import community_scope
from hearth.celery import app as celery_app
from integrations.connectors.generic import sign
from integrations.models import InboxEvent, InboxStatus
from tests.factories import make_world

from .conftest import make_connection

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

QUEUE = "channels-e2e" + os.environ.get("HEARTH_TEST_DB_SUFFIX", "")


def _database_url(alias: str) -> str:
    s = connections[alias].settings_dict
    if s["HOST"].startswith("/"):
        return f"postgresql://{s['USER']}@/{s['NAME']}?host={s['HOST']}&port={s['PORT'] or 5432}"
    return f"postgresql://{s['USER']}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    def __init__(self, slow: float = 0):
        self.slow = slow
        self.process = None

    def start(self):
        env = {
            **os.environ,
            "DATABASE_URL": _database_url("default"),
            "HEARTH_TESTING": "1",
            "HEARTH_TEST_SLOW_INGEST": str(self.slow),
        }
        env.pop("MIGRATION_DATABASE_URL", None)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.integrations.worker_app",
                "worker",
                "--pool=solo",
                "-Q",
                QUEUE,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "WARNING",
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def routed_to_test_queue():
    """Send integrations tasks to this test's own queue, so no other worker on the shared broker takes them."""
    previous = celery_app.conf.task_routes
    celery_app.conf.task_routes = {"integrations.*": {"queue": QUEUE}}
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE) if hasattr(connection.default_channel, "queue_purge") else None
    yield QUEUE
    celery_app.conf.task_routes = previous
    celery_app.amqp.flush_routes()
    celery_app.amqp.__dict__.pop("router", None)


@pytest.fixture
def worker_factory(routed_to_test_queue):
    workers = []

    def start(slow: float = 0) -> Worker:
        worker = Worker(slow)
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def _wait_for(predicate, timeout: float = 60, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting")


def _deliver(client, connection, items: list[dict], delivery: str):
    body = json.dumps({"items": items}).encode()
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in sign(connection.webhook_secret, body).items()}
    response = client.post(
        f"/hooks/{connection.uuid}/", body, content_type="application/json", HTTP_X_HEARTH_DELIVERY=delivery, **headers
    )
    assert response.status_code == 200, response.content
    return response.json()["event"]


def _item(n: int) -> dict:
    return {
        "source": "e2e",
        "external_id": f"item-{n}",
        "kind": "post",
        "occurred_at": "2026-01-01T00:00:00Z",
        "title": f"post {n}",
        "identity": {"channel": "forum", "external_id": f"user-{n % 7}", "name": f"User {n % 7}"},
    }


def _worker_inside_a_transaction() -> bool:
    """The worker has written a batch and not committed it (it sleeps inside the transaction)."""
    with db_connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND state = 'idle in transaction'"
        )
        return cursor.fetchone()[0] > 0


def _counts(community):
    with community_scope(community.pk):
        activities = Activity.objects.for_community(community).filter(source="e2e")
        statuses = list(InboxEvent.objects.for_community(community).values_list("status", flat=True))
        return activities.count(), activities.values("external_id").distinct().count(), statuses


def test_webhook_delivery_becomes_one_activity_even_when_delivered_twice(client, worker_factory):
    world = make_world()
    connection = make_connection(world.a, "generic")
    worker_factory()
    first = _deliver(client, connection, [_item(1)], "delivery-1")
    assert _deliver(client, connection, [_item(1)], "delivery-1") == first  # the platform retried: not stored again
    _deliver(client, connection, [_item(1)], "delivery-2")  # the same item in another delivery
    _wait_for(lambda: _counts(world.a)[2] == [InboxStatus.PROCESSED] * 2)
    total, distinct, _ = _counts(world.a)
    assert (total, distinct) == (1, 1)
    with community_scope(world.a.pk):
        activity = Activity.objects.for_community(world.a).get(source="e2e")
        assert activity.member.display_name == "User 1"
        assert activity.connection_id == connection.pk


def test_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(client, worker_factory):
    world = make_world()
    connection = make_connection(world.a, "generic")
    deliveries = 12
    per_delivery = 25
    first = worker_factory(slow=0.4)
    for d in range(deliveries):
        # Overlapping windows: every item also arrives in the next delivery, so duplicates are exercised too.
        items = [_item(n) for n in range(d * per_delivery, (d + 1) * per_delivery + 5)]
        _deliver(client, connection, items, f"delivery-{d}")

    # Let a few batches finish, then kill the worker while the next one is inside its transaction.
    _wait_for(lambda: _counts(world.a)[2].count(InboxStatus.PROCESSED) >= 2)
    _wait_for(_worker_inside_a_transaction, timeout=10, interval=0.01)
    first.kill()
    processed_at_kill = _counts(world.a)[2].count(InboxStatus.PROCESSED)
    assert processed_at_kill < deliveries, "the worker finished before it could be killed"

    worker_factory()  # a fresh worker; the killed one's unacknowledged task is redelivered
    _wait_for(lambda: _counts(world.a)[2].count(InboxStatus.PROCESSED) == deliveries, timeout=90)
    expected = deliveries * per_delivery + 5
    total, distinct, statuses = _counts(world.a)
    assert total == distinct == expected
    assert statuses == [InboxStatus.PROCESSED] * deliveries
