"""Outages under traffic, on throwaway servers: Redis and then Postgres stop while gunicorn serves pages and webhooks.

While a server is down the site answers 503 (a styled page, or the JSON error body), never a 500; when it is back
the same gunicorn serves again without a restart; and a webhook delivery that arrived while the broker was down is
in the raw inbox, acknowledged, waiting for the beat's sweep. (A delivery while Postgres is down is refused with
503, so the platform retries it: it is not lost either.)
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

ROOT = Path(settings.BASE_DIR)
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd, **kwargs):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=180, **kwargs)


class Postgres:
    def __init__(self, root: Path):
        self.data, self.port = root / "pg", _free_port()
        self.log = root / "pg.log"

    def init(self):
        _run(
            [*AS_POSTGRES, str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"]
        )

    def start(self):
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run(
            [
                *AS_POSTGRES,
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                options,
                "-w",
                "start",
            ]
        )

    def stop(self):
        _run([*AS_POSTGRES, str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])

    def url(self, role: str) -> str:
        return f"postgresql://{role}@127.0.0.1:{self.port}/hearth"


class Redis:
    def __init__(self):
        self.port, self.process = _free_port(), None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        _wait(lambda: _redis_up(self.port), 20, "redis did not start")

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _wait(predicate, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(message)


SETUP = """
import json
from community.services.communities import community_create
from community.tenancy import community_scope
from django.contrib.auth import get_user_model
from integrations.services.connections import connection_create
from community.policy import Actor
user = get_user_model().objects.create_user(username="o@example.com", email="o@example.com", password="x")
community = community_create(name="Outage", slug="outage", owner=user)
from community.models import Member
with community_scope(community.pk):
    owner = Member.objects.for_community(community).get()
    actor = Actor(community=community, user_id=user.pk, member=owner)
    connection = connection_create(community=community, actor=actor, kind="generic", display_name="hook")
    from community.services.api_keys import api_key_create
    _, key = api_key_create(community=community, actor=actor, name="outage", scopes=["community:read"])
    print(json.dumps({"uuid": str(connection.uuid), "secret": connection.webhook_secret, "key": key}))
"""


@pytest.fixture(scope="module")
def stack():
    if PG_BIN is None or not shutil.which("redis-server"):
        pytest.skip("needs Postgres server binaries and redis-server")
    root = Path(tempfile.mkdtemp(prefix="hearth-outage-"))
    if AS_POSTGRES:
        shutil.chown(root, "postgres")
    pg, redis = Postgres(root), Redis()
    pg.init()
    pg.start()
    redis.start()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "HEARTH_TEST"))},
        "DATABASE_URL": pg.url("hearth_app"),
        "MIGRATION_DATABASE_URL": pg.url("hearth_owner"),
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "DEBUG": "0",
        "HEARTH_TESTING": "0",
        "HEARTH_LOCAL": "1",
        "SECRET_KEY": "outage-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "HEARTH_FERNET_KEYS": "kM1Gv3Qm4-0cJp1G2i1tC0yX4Dq2n9wq5m1lN0b8yYo=",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(root / "static"),
        "MEDIA_ROOT": str(root / "media"),
    }
    _run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(pg.port), "-U", "postgres",
          "-d", "postgres", "-f", str(ROOT / "hearth/sql/bootstrap_roles.sql")])  # fmt: skip
    _run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT)
    _run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT)
    hook = json.loads(
        _run([sys.executable, "manage.py", "shell", "-c", SETUP], env=env, cwd=ROOT).stdout.splitlines()[-1]
    )
    port = _free_port()
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "hearth.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
            "--timeout",
            "30",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(lambda: httpx.get(f"{base}/healthz", timeout=2).status_code == 200, 60, "gunicorn did not come up")
        yield {"pg": pg, "redis": redis, "base": base, "hook": hook, "env": env}
    finally:
        web.terminate()
        web.wait(timeout=20)
        redis.process.kill() if redis.process and redis.process.poll() is None else None
        with contextlib.suppress(subprocess.CalledProcessError):
            pg.stop()
        shutil.rmtree(root, ignore_errors=True)


class Traffic:
    """Readers hitting a page and the health check in the background; every status code they saw, in order."""

    def __init__(self, base: str, key: str):
        self.base, self.key, self.codes, self._stop = base, key, [], threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        with httpx.Client(timeout=10, headers={"Authorization": f"Bearer {self.key}"}) as client:
            while not self._stop.is_set():
                for path in ("/c/outage/", "/healthz", "/api/v1/c/outage/community/"):
                    try:
                        self.codes.append(client.get(self.base + path).status_code)
                    except httpx.HTTPError:
                        self.codes.append("connection error")
                time.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self.thread.join(timeout=15)


def _auth(stack) -> dict:
    return {"Authorization": f"Bearer {stack['hook']['key']}"}


def _deliver(stack, n: int) -> httpx.Response:
    from integrations.connectors.generic import sign

    body = json.dumps({
        "external_id": f"outage-{n}", "kind": "post", "occurred_at": "2026-12-01T10:00:00Z", "title": f"During {n}",
        "identity": {"channel": "forum", "external_id": "u1"},
    }).encode()  # fmt: skip
    headers = {"Content-Type": "application/json", **sign(stack["hook"]["secret"], body)}
    return httpx.post(f"{stack['base']}/hooks/{stack['hook']['uuid']}/", content=body, headers=headers, timeout=10)


def _inbox_rows(stack) -> list[tuple]:
    out = _run(["psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", str(stack["pg"].port), "-U", "postgres", "-d", "hearth",
                "-c", "SELECT status, convert_from(body, 'UTF8') LIKE '%outage-1%' FROM integrations_inboxevent ORDER BY id"]).stdout  # fmt: skip
    return [tuple(line.split("|")) for line in out.split()]


def test_a_broker_outage_answers_503_recovers_and_keeps_webhook_deliveries(stack):
    base = stack["base"]
    with Traffic(base, stack["hook"]["key"]) as traffic:
        time.sleep(1)
        stack["redis"].stop()
        _wait(lambda: httpx.get(f"{base}/healthz", timeout=5).status_code == 503, 20, "healthz did not notice")
        page = httpx.get(f"{base}/c/outage/", timeout=10)
        api = httpx.get(f"{base}/api/v1/c/outage/community/", headers=_auth(stack), timeout=10)
        delivery = _deliver(stack, 1)
        stack["redis"].start()  # the same port: the running gunicorn must reconnect by itself
        _wait(lambda: httpx.get(f"{base}/c/outage/", timeout=5).status_code == 200, 30, "no recovery after Redis")
        recovered = len(traffic.codes)
        time.sleep(2)
    assert page.status_code == 503 and "briefly unavailable" in page.text
    assert api.status_code == 503 and api.json()["error"]["code"] == "unavailable"
    # Stored before the (failed) enqueue, acknowledged: the platform will not resend it and it is not lost.
    assert delivery.status_code == 200, delivery.text
    assert ("received", "t") in _inbox_rows(stack)
    assert 500 not in traffic.codes and "connection error" not in traffic.codes, traffic.codes
    assert set(traffic.codes[recovered + 3 :]) == {200}, traffic.codes[recovered:]  # after recovery: all served


def test_a_database_outage_answers_503_and_recovers_without_a_restart(stack):
    base = stack["base"]
    with Traffic(base, stack["hook"]["key"]) as traffic:
        time.sleep(1)
        stack["pg"].stop()
        _wait(lambda: httpx.get(f"{base}/healthz", timeout=5).status_code == 503, 20, "healthz did not notice")
        page = httpx.get(f"{base}/c/outage/", timeout=10)
        delivery = _deliver(stack, 2)
        stack["pg"].start()
        _wait(lambda: httpx.get(f"{base}/c/outage/", timeout=5).status_code == 200, 30, "no recovery after Postgres")
        recovered = len(traffic.codes)
        time.sleep(2)
    assert page.status_code == 503 and "briefly unavailable" in page.text
    assert delivery.status_code == 503  # refused, so the platform retries it later: nothing is lost
    assert 500 not in traffic.codes and "connection error" not in traffic.codes, traffic.codes
    assert set(traffic.codes[recovered + 3 :]) == {200}, traffic.codes[recovered:]  # after recovery: all served
    assert _deliver(stack, 3).status_code == 200  # and deliveries are stored again
