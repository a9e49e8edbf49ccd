"""Ingest: activities/s through the bulk Activity API and through the worker pipeline, vs raw COPY.

- Baseline: COPY of the same rows (members already known) as the owner into `bench_activity_raw`, a copy
  of the activity table `LIKE community_activity INCLUDING ALL` (same indexes, unique constraint, GIN) without
  row-level security — the fastest way those rows can reach Postgres.
- API: POST /api/v1/activities/bulk/ (1,000 items per request, API key) against gunicorn, sequential requests.
- Pipeline: the generic connector's JSON stored raw in the inbox (100 items per event), then the worker's task
  body `process_inbox_task(community_id, event_ids)` (5 events per task, like a polled page): parse →
  identities → members → activities. In-process: the Celery hop (a Redis round trip per task) is left out.
- Both again with 10% of the items re-sent (duplicates, which must come back "existing").
- Sentiment: the pipeline computes none yet; its cost is measured separately (vaderSentiment on the same bodies)
  and the projected pipeline rate with it is reported beside.
"""

import json
import random
import secrets
import statistics
import time
from dataclasses import dataclass
from datetime import timedelta

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


def pipeline_ingest(community: Community, connection_id: int, items: list[dict]) -> tuple[float, dict]:
    from integrations.connectors.base import RawEvent
    from integrations.models import ChannelConnection
    from integrations.services.inbox import inbox_store
    from integrations.tasks import process_inbox_task

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
        ids = [event.pk for event in inbox_store(community=community, connection=connection, events=events)]
    summary: dict[str, int] = {}
    start = time.perf_counter()
    for i in range(0, len(ids), EVENTS_PER_TASK):
        result = process_inbox_task(community.pk, ids[i : i + EVENTS_PER_TASK])
        for key, value in result.items():
            summary[key] = summary.get(key, 0) + value
    return len(items) / (time.perf_counter() - start), summary


def sentiment_cost(items: list[dict]) -> float:
    """Seconds per item for vaderSentiment on the item's title and body (what the pipeline would add)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    texts = [f"{i.get('title', '')} {i['body']}".strip() for i in items]
    start = time.perf_counter()
    for text in texts:
        if text:
            analyzer.polarity_scores(text)
    return (time.perf_counter() - start) / len(texts)


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
    results.append(Rate("Worker pipeline (inbox → parse → identities → activities)", rate, 0.0))
    per_item = sentiment_cost(pipe_items)
    projected = 1 / (1 / rate + per_item)
    results.append(Rate("Worker pipeline + sentiment (projected: + vaderSentiment per item)", projected, 0.0,
                        f"vader {per_item * 1e6:,.0f} µs/item"))  # fmt: skip

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
