"""Ingest: activities/s through the bulk Activity API and through the worker pipeline, vs raw COPY.

- Baseline: COPY of the same rows (members already known) as the owner into `bench_activity_raw`, a copy
  of the activity table `LIKE community_activity INCLUDING ALL` (same indexes, unique constraint, GIN) without
  row-level security — the fastest way those rows can reach Postgres.
- API: POST /api/v1/activities/bulk/ (1,000 items per request, API key) against gunicorn, sequential requests.
- Pipeline: the generic connector's JSON stored raw in the inbox (100 items per event), then the worker's task
  body `process_inbox_task(community_id, event_ids)` (5 events per task, like a polled page): parse →
  identities → members → activities, then the activity listener it announces to (insights.process_activities:
  Hearth's sentiment analyser on every new text), run eagerly in the same process inside the clock. Three ways:
  1. one process calling the task body in-process (no broker);
  2. two processes (each its own Django set-up and database connection) calling the task body over separate
     events, started together: what a Celery worker with concurrency 2 does on this 2-core machine, minus
     the broker;
  3. a real Celery worker (`--concurrency 2`, prefork) on a Redis queue of its own: tasks enqueued with
     `apply_async`, the clock stops when the last result is back (the Redis hop included). Here the listener
     runs eagerly inside the worker's task too (the worker is started with CELERY_TASK_ALWAYS_EAGER=1), so
     scoring is inside the clock as in the other two.
- The API and the in-process pipeline again with 10% of the items re-sent (duplicates, which must come back
  "existing").
- Every pipeline row also reports how many stored activities carry a sentiment (computed, not projected).
"""

import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
from django.db import transaction

from community.models import Community, Identity
from community.tenancy import community_scope

from .datagen.generate import ANCHOR, CHANNEL_KINDS, CHANNEL_WEIGHTS, CHANNELS, TITLED
from .datagen.text import DOMAINS, Texts

API_BATCH = 1000
EVENT_ITEMS = 100
EVENTS_PER_TASK = 5
RAW_TABLE = "bench_activity_raw"


@dataclass
class Rate:
    name: str
    rate: float  # activities/s
    baseline: float
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.rate / self.baseline


class Items:
    """Activity-API items for one community: 70% from known identities, 30% from new people."""

    def __init__(self, community: Community, seed: int = 7):
        self.rng = random.Random(seed)
        self.texts = Texts(self.rng)
        self.community = community
        with community_scope(community.pk):
            self.known = list(
                Identity.objects.for_community(community).values_list("channel", "external_id", "member_id")
            )
        self.seq = 0
        self.run = secrets.token_hex(3)  # external ids unique per bench run, so a re-used database still counts

    def make(self, count: int, tag: str) -> list[dict]:
        rng, items = self.rng, []
        tag = f"{tag}-{self.run}"
        for _ in range(count):
            self.seq += 1
            if rng.random() < 0.7:
                channel, external_id, _member = rng.choice(self.known)
                identity = {"channel": channel, "external_id": external_id}
            else:
                channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
                person = f"{channel}-new-{tag}-{self.seq // 3}"  # a new person posts a few times
                name = self.texts.name()
                identity = {"channel": channel, "external_id": person, "name": name, "handle": f"{tag}-{self.seq // 3}"}
                if rng.random() < 0.4:
                    identity["email"] = f"p{self.seq // 3}.{tag}@{rng.choice(DOMAINS[:5])}"
            kind = rng.choice(CHANNEL_KINDS[channel])
            item = {
                "source": channel,
                "external_id": f"{tag}-{self.seq}",
                "kind": kind,
                "occurred_at": (ANCHOR - timedelta(minutes=rng.randint(0, 60 * 24 * 30))).isoformat(),
                "body": "" if kind in ("star", "fork") else self.texts.body(),
                "url": f"https://{channel}.example.com/{tag}/{self.seq}",
                "identity": identity,
            }
            if kind in TITLED:
                item["title"] = self.texts.title()
            items.append(item)
        return items

    def with_duplicates(self, fresh: list[dict], already_sent: list[dict], fraction: float = 0.1) -> list[dict]:
        dup = self.rng.sample(already_sent, int(len(fresh) * fraction))
        mixed = fresh[: len(fresh) - len(dup)] + dup
        self.rng.shuffle(mixed)
        return mixed


def copy_baseline(
    owner_url: str, community: Community, items: list[dict], members: dict, repeats: int = 3
) -> list[float]:
    """COPY the same rows into a non-RLS twin of the activity table as the owner; rows/s of each repeat."""
    rows = []
    fallback = next(iter(members.values()))
    for item in items:
        key = (item["identity"]["channel"], item["identity"]["external_id"])
        rows.append((community.pk, members.get(key, fallback), item["kind"], item["identity"]["channel"],
                     item["source"], item["external_id"], item["occurred_at"], item.get("title", ""), item["body"],
                     item["url"], "", "", "{}", ANCHOR))  # fmt: skip
    columns = ("community_id, member_id, kind, channel, source, external_id, occurred_at, title, body, url, "
               "parent_external_id, sentiment_label, extra, created_at")  # fmt: skip
    rates = []
    with psycopg.connect(owner_url, autocommit=True) as conn:
        for _ in range(repeats):
            conn.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
            conn.execute(f"CREATE TABLE {RAW_TABLE} (LIKE community_activity INCLUDING ALL)")
            start = time.perf_counter()
            with conn.transaction(), conn.cursor().copy(f"COPY {RAW_TABLE} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            rates.append(len(rows) / (time.perf_counter() - start))
        conn.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
    return rates


def api_ingest(base_url: str, api_key: str, items: list[dict]) -> tuple[float, dict]:
    statuses: dict[str, int] = {}
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {api_key}"}, timeout=120) as client:
        start = time.perf_counter()
        for i in range(0, len(items), API_BATCH):
            response = client.post("/api/v1/activities/bulk/", json=items[i : i + API_BATCH])
            response.raise_for_status()
            for result in response.json()["results"]:
                statuses[result["status"]] = statuses.get(result["status"], 0) + 1
        elapsed = time.perf_counter() - start
    return len(items) / elapsed, statuses


def _store_events(community: Community, connection_id: int, items: list[dict]) -> list[int]:
    from integrations.connectors.base import RawEvent
    from integrations.models import ChannelConnection
    from integrations.services.inbox import inbox_store

    with transaction.atomic(), community_scope(community.pk):
        connection = ChannelConnection.objects.for_community(community).get(pk=connection_id)
        events = [
            RawEvent(
                event_type="activities",
                body=json.dumps({"items": items[i : i + EVENT_ITEMS]}).encode(),
                headers={"Content-Type": "application/json"},
                delivery_id=f"bench-{i}",
            )
            for i in range(0, len(items), EVENT_ITEMS)
        ]
        return [event.pk for event in inbox_store(community=community, connection=connection, events=events)]


def _tasks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + EVENTS_PER_TASK] for i in range(0, len(ids), EVENTS_PER_TASK)]


def _add(summary: dict, result: dict) -> None:
    for key, value in result.items():
        summary[key] = summary.get(key, 0) + value


def pipeline_ingest(community: Community, connection_id: int, items: list[dict]) -> tuple[float, dict]:
    from hearth.celery import app
    from integrations.tasks import process_inbox_task

    ids = _store_events(community, connection_id, items)
    summary: dict[str, int] = {}
    previous, app.conf.task_always_eager = app.conf.task_always_eager, True  # the listeners run here, timed
    try:
        start = time.perf_counter()
        for task in _tasks(ids):
            _add(summary, process_inbox_task(community.pk, task))
        return len(items) / (time.perf_counter() - start), summary
    finally:
        app.conf.task_always_eager = previous


# Run by each worker process of `pipeline_parallel`: Django is set up before anything imports a model.
_PROCESS_MAIN = """
import json, sys, time
import django
django.setup()
from django.db import connection
from bench.ingest import _add
from hearth.celery import app
from integrations.tasks import process_inbox_task
app.conf.task_always_eager = True  # the activity listeners (sentiment) run in this process, inside the clock
community_id, tasks = json.loads(sys.stdin.readline())
connection.ensure_connection()
print("ready", flush=True)
sys.stdin.readline()  # "go": every process is set up and connected
start, summary = time.monotonic(), {}
for task in tasks:
    _add(summary, process_inbox_task(community_id, task))
print(json.dumps([start, time.monotonic(), summary]), flush=True)
"""


def pipeline_parallel(
    community: Community, connection_id: int, items: list[dict], processes: int = 2
) -> tuple[float, dict]:
    """The task body in `processes` OS processes over separate events, as a Celery worker's pool runs it.

    Each process is a fresh interpreter with its own Django set-up and connection; they start together once
    all are connected, and the clock runs from the first start to the last finish (CLOCK_MONOTONIC is one
    clock for every process on Linux).
    """
    ids = _store_events(community, connection_id, items)
    tasks = _tasks(ids)
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _PROCESS_MAIN],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
            cwd=str(Path(__file__).resolve().parent.parent),
        )
        for _ in range(processes)
    ]
    try:
        for n, worker in enumerate(workers):
            worker.stdin.write(json.dumps([community.pk, tasks[n::processes]]) + "\n")
            worker.stdin.flush()
        for worker in workers:
            if worker.stdout.readline().strip() != "ready":
                raise RuntimeError("a pipeline worker process failed to start")
        for worker in workers:
            worker.stdin.write("go\n")
            worker.stdin.flush()
        outcomes = [json.loads(worker.stdout.readline()) for worker in workers]
    finally:
        for worker in workers:
            worker.stdin.close()
            worker.wait(timeout=60)
    summary: dict[str, int] = {}
    for _, _, part in outcomes:
        _add(summary, part)
    elapsed = max(end for _, end, _ in outcomes) - min(start for start, _, _ in outcomes)
    return len(items) / elapsed, summary


def pipeline_celery(
    community: Community, connection_id: int, items: list[dict], concurrency: int = 2
) -> tuple[float, dict]:
    """A real Celery worker (prefork, `concurrency` processes) on a queue of its own on the shared Redis.

    Warmed up first (pool start, Django set-up, connections), then the clock runs from the first
    `apply_async` to the last result read back from the result backend.
    """
    from integrations.tasks import process_inbox_task

    queue = f"bench-ingest-{os.getpid()}-{secrets.token_hex(3)}"
    warm = _tasks(_store_events(community, connection_id, items[: EVENT_ITEMS * EVENTS_PER_TASK * concurrency]))
    tasks = _tasks(_store_events(community, connection_id, items[EVENT_ITEMS * EVENTS_PER_TASK * concurrency :]))
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hearth", "worker", f"--concurrency={concurrency}", "--pool=prefork",
         "-Q", queue, "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
        env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "1"}, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        summary: dict[str, int] = {}
        for result in [process_inbox_task.apply_async((community.pk, t), queue=queue) for t in warm]:
            _add(summary, result.get(timeout=120))
        timed = len(items) - EVENT_ITEMS * EVENTS_PER_TASK * concurrency
        start = time.perf_counter()
        pending = [process_inbox_task.apply_async((community.pk, t), queue=queue) for t in tasks]
        for result in pending:
            _add(summary, result.get(timeout=600))
        return timed / (time.perf_counter() - start), summary
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()


def _sentiment_note(community: Community, items: list[dict], summary: dict) -> str:
    """How many of these items' stored activities were analysed and scored: computed, not projected."""
    from community.models import Activity

    with transaction.atomic(), community_scope(community.pk):
        rows = Activity.objects.for_community(community).filter(external_id__in=[i["external_id"] for i in items])
        analysed = rows.exclude(language="").count()
        with_sentiment, stored = rows.exclude(sentiment_label="").count(), rows.count()
    texts = sum(1 for item in items if item.get("title") or item.get("body"))
    return (
        f"{summary.get('created', 0):,} created; analysed {analysed:,}, sentiment on {with_sentiment:,} "
        f"of {stored:,} ({texts:,} with text; other languages are left unscored)"
    )


def run(owner_url: str, base_url: str, community: Community, api_key: str, count: int) -> list[Rate]:
    from integrations.models import ChannelConnection

    items = Items(community)
    with transaction.atomic(), community_scope(community.pk):
        connection = ChannelConnection.objects.create(
            community=community, kind="generic", display_name="bench generic", poll_interval=0
        )
    members = {(c, e): m for c, e, m in items.known}
    api_items = items.make(count, "api")
    pipe_items = items.make(count, "pipe")
    par_items = items.make(count, "par")
    celery_items = items.make(count, "celery")
    # The baseline is measured before, between and after the measured paths (median of all), so a burst of
    # load from elsewhere does not land on one side of the ratio only.
    copies = copy_baseline(owner_url, community, api_items, members)
    print(f"  raw COPY baseline: {statistics.median(copies):,.0f} rows/s", flush=True)
    results = []
    rate, statuses = api_ingest(base_url, api_key, api_items)
    print(f"  bulk API: {rate:,.0f}/s {statuses}", flush=True)
    results.append(Rate("Bulk API (POST /api/v1/activities/bulk/, 1,000/request)", rate, 0.0))
    rate, summary = pipeline_ingest(community, connection.pk, pipe_items)
    print(f"  pipeline: {rate:,.0f}/s {summary}", flush=True)
    results.append(Rate("Worker pipeline with sentiment, 1 process (task body in-process)", rate, 0.0,
                        _sentiment_note(community, pipe_items, summary)))  # fmt: skip
    rate, summary = pipeline_parallel(community, connection.pk, par_items, processes=2)
    print(f"  pipeline, 2 processes: {rate:,.0f}/s {summary}", flush=True)
    results.append(Rate("Worker pipeline with sentiment, 2 processes (task body over separate events)", rate, 0.0,
                        _sentiment_note(community, par_items, summary)))  # fmt: skip
    try:
        rate, summary = pipeline_celery(community, connection.pk, celery_items, concurrency=2)
    except Exception as error:  # a broker problem must not lose the other figures
        print(f"  pipeline via Celery failed: {error!r}", flush=True)
        results.append(Rate("Worker pipeline via Celery", 0.0, 1.0, f"failed: {error!r}"))
    else:
        print(f"  pipeline via Celery: {rate:,.0f}/s {summary}", flush=True)
        results.append(Rate("Worker pipeline with sentiment via Celery (Redis hop, prefork --concurrency 2)", rate,
                            0.0, _sentiment_note(community, celery_items, summary)))  # fmt: skip

    copies += copy_baseline(owner_url, community, api_items, members)
    api_dups = items.with_duplicates(items.make(count, "api2"), api_items)
    rate, statuses = api_ingest(base_url, api_key, api_dups)
    print(f"  bulk API 10% dup: {rate:,.0f}/s {statuses}", flush=True)
    results.append(Rate("Bulk API, 10% duplicates", rate, 0.0, f"{statuses.get('existing', 0)} existing"))
    pipe_dups = items.with_duplicates(items.make(count, "pipe2"), pipe_items)
    rate, summary = pipeline_ingest(community, connection.pk, pipe_dups)
    print(f"  pipeline 10% dup: {rate:,.0f}/s {summary}", flush=True)
    results.append(Rate("Worker pipeline, 10% duplicates", rate, 0.0, f"{summary.get('existing', 0)} existing"))
    copies += copy_baseline(owner_url, community, api_items, members)
    baseline = statistics.median(copies)
    print(f"  raw COPY baseline, all runs: {[round(c) for c in copies]} → median {baseline:,.0f} rows/s", flush=True)
    for r in results:
        r.baseline = baseline
    return results
