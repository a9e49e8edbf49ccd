"""A real Celery worker (one process, one reused connection) sees A's rows, then B's, then nothing."""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connections

from tests.factories import make_world
from tests.tenancy.probe_tasks import probe_scoped, probe_unscoped

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _test_database_url() -> str:
    """DATABASE_URL (the application role, wherever the server is) pointed at the test database."""
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path="/" + connections["default"].settings_dict["NAME"]))


@pytest.fixture
def worker():
    queue = "probe" + os.environ.get("HEARTH_TEST_DB_SUFFIX", "")
    env = {**os.environ, "DATABASE_URL": _test_database_url(), "HEARTH_TESTING": "1"}
    env.pop("MIGRATION_DATABASE_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hearth",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-I",
            "tests.tenancy.probe_tasks",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
        ],
        env=env,
        cwd=settings.BASE_DIR,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def _run(signature, queue):
    deadline = time.monotonic() + 60
    result = signature.apply_async(queue=queue)
    return result.get(timeout=max(1, deadline - time.monotonic()))


def test_worker_sees_a_then_b_then_nothing(worker):
    world = make_world()
    assert _run(probe_scoped.s(world.a.pk), worker) == [world.a.pk]
    assert _run(probe_scoped.s(world.b.pk), worker) == [world.b.pk]
    assert _run(probe_unscoped.s(), worker) == []
