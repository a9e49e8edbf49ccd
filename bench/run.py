"""Run Hearth's benchmarks and write bench/results/latest.md. `--quick` for the small, few-minute run.

Every figure is printed next to a baseline measured in the same run on the same database; the
ratio is what we hold ourselves to, never an absolute time. Everything runs in its own database
(`<name>_bench`, dropped and re-created), never the development or test ones.
"""

import argparse
import os
import platform
import subprocess
import sys
import time
import traceback
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import db  # noqa: E402 (needs the path above)

SIZES = {  # communities, members, activities, topics, replies
    "quick": (8, 3_000, 20_000, 1_500, 15_000),
    "full": (20, 20_000, 1_000_000, 20_000, 200_000),
}
SECTIONS = ("rls", "generate", "forum", "load", "ingest", "dashboard", "crisis")


def _versions() -> str:
    import django
    import psycopg

    with psycopg.connect(os.environ["MIGRATION_DATABASE_URL"]) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    try:
        wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    except (OSError, IndexError):
        wrk = "absent (httpx threads)"
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server}, wrk {wrk}; "
        f"{os.cpu_count()} CPUs ({cpu}), {platform.machine()}, load average at start {load}"
    )


def _ms(x: float) -> str:
    return f"{x:,.1f} ms" if x < 100 else f"{x:,.0f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, a few minutes on 2 cores")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="run only these sections")
    parser.add_argument("--reuse", action="store_true", help="keep the bench database and its data (development)")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    sections = set(args.only or SECTIONS)
    started = time.perf_counter()

    env = db.bench_env()
    env.setdefault("HEARTH_LOCAL", "1")  # no HTTPS redirect for the in-process test client
    env.setdefault("SECRET_KEY", "bench-secret-key-not-for-production-0123456789")
    env["DEBUG"] = "0"
    # Cached pages and counters of an earlier run (same slugs, same ids, other data) must not be served.
    env["HEARTH_CACHE_PREFIX"] = f"bench-{time.time_ns()}"
    os.environ.update(env)
    if not args.reuse:
        db.recreate(env)
    print("collectstatic ...", flush=True)
    db.manage(env, "collectstatic", "--noinput", "-v0")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    from django.db import connections

    # One persistent connection in this process: the test client's request_finished would otherwise close it
    # after CONN_MAX_AGE, putting reconnects into timings and emptying CaptureQueriesContext's log mid-count.
    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = None
    from bench import crisis, dashboard, forum_reads, ingest, rls_cost
    from bench.datagen.generate import SLUG_PREFIX, Generator, Sizes
    from community.models import Community

    owner_url, app_url = os.environ["MIGRATION_DATABASE_URL"], os.environ["DATABASE_URL"]
    app_role = urlparse(app_url).username
    lines = [
        f"# Hearth benchmarks ({mode})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M UTC} — {_versions()}",
        "",
        "Ratios are measured against a baseline in the same run on the same database; absolute figures move with",
        "the machine's load (shared 2-core machine), ratios much less. See bench/README.md for what limits each.",
        "",
    ]

    if "rls" in sections:
        with _section(lines, "Row-level security cost"):
            print("== row-level security cost", flush=True)
            lines += ["## Row-level security cost (target ratio ≥ 0.95)", "",
                      "| benchmark | without RLS | with RLS | ratio |", "|---|---|---|---|"]  # fmt: skip
            for result in rls_cost.run(owner_url, app_url, app_role, quick=args.quick):
                lines.append(
                    f"| {result.name} | {result.baseline:,.0f} {result.unit} | {result.measured:,.0f} {result.unit} "
                    f"| {result.ratio:.2f} |"
                )
            lines.append("")

    sizes = Sizes(*SIZES[mode])
    # Forum reads and ingest run against the generated communities: they bring the generator along.
    wants_data = "generate" in sections or bool({"forum", "load", "ingest"} & sections)
    if wants_data and not Community.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        print(f"== generate_data {sizes}", flush=True)
        generator = Generator(sizes, seed=1, method="copy")
        t0 = time.perf_counter()
        rows = generator.run()
        elapsed = time.perf_counter() - t0
        lines += [f"## Data generator (`generate_data`, {mode} sizes, default write path: COPY through the logged bypass)", "",
                  "| table | rows | rows/s |", "|---|---|---|"]  # fmt: skip
        for table, count in rows.items():
            seconds = generator.writer.seconds.get(table, 0.0)
            rate = f"{count / seconds:,.0f}" if seconds > 0.01 else "—"
            lines.append(f"| {table} | {count:,} | {rate} |")
        total = sum(rows.values())
        lines += [f"| **all, end to end (text generation included)** | {total:,} | {total / elapsed:,.0f} |", ""]
        scratch, _ = Community.objects.get_or_create(slug="scratch-writes", defaults={"name": "Write-path scratch"})
        lines += _copy_vs_unnest(scratch, args.quick)

    communities = list(Community.objects.filter(slug__startswith=SLUG_PREFIX).order_by("id"))
    large, small = (communities[0], communities[-1]) if communities else (None, None)

    server_env = dict(os.environ)
    if {"forum", "load", "ingest"} & sections:
        large_t = forum_reads.target(large)
    if "forum" in sections:
        with _section(lines, "Forum reads"):
            print("== forum reads", flush=True)
            small_t = forum_reads.target(small)
            forum_reads.member_sessions(large_t)
            counts = forum_reads.query_counts(small_t, large_t)
            seconds = 4 if args.quick else 15
            results = forum_reads.load(server_env, large_t, seconds=seconds, connections=4)
            lines += [
                f"## Forum reads under load ({large.slug}; gunicorn 2 sync workers, DEBUG off; wrk 4 connections, "
                f"{seconds}s per URL in 2 rounds alternating with its baseline, anonymous unless noted)",
                "",
                "Baseline: a view in the same server that enters the same RLS scope, runs ONE hand-written SQL query "
                "for what the page shows and renders a minimal template (bench/baseline_views.py).",
                "Targets (topic page, topic list): throughput ≥ 0.50 of baseline, p95 ≤ 2x baseline.",
                "",
                "| page | req/s | baseline req/s | ratio | p50 | p95 | baseline p95 | p95 x baseline |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for r in results:
                lines.append(
                    f"| {r.page} | {r.page_load.rps:,.0f} | {r.base_load.rps:,.0f} | {r.ratio:.2f} | "
                    f"{_ms(r.page_load.p50_ms)} | {_ms(r.page_load.p95_ms)} | {_ms(r.base_load.p95_ms)} | "
                    f"{r.p95_ratio:.1f}x |"
                )
            with_members = _counts(small)
            lines += [
                "",
                f"### SQL queries per page: smallest community ({small.slug}, {with_members}) vs largest "
                f"({large.slug}, {_counts(large)}); must be equal",
                "",
                "| page | visitor | queries (small) | queries (large) | equal | in-process ms, fastest of 7 (small → large) |",
                "|---|---|---|---|---|---|",
            ]
            for page, who, n_small, n_large, ms_small, ms_large in counts:
                equal = "yes" if n_small == n_large else "**NO**"
                lines.append(f"| {page} | {who} | {n_small} | {n_large} | {equal} | {ms_small:.1f} → {ms_large:.1f} |")
            lines.append("")

    if "load" in sections:
        print("== sustained load", flush=True)
        from bench import sustained_load

        # Not inside _section: a failed request must fail the run (CI runs this section), not become a table row.
        rows = sustained_load.run(server_env, large_t)
        lines += [
            f"## Sustained load ({large.slug}; gunicorn 2 sync workers, DEBUG off; {sustained_load.CONNECTIONS} "
            f"connections for {sustained_load.SECONDS} s in all, split over the URLs; target: zero failed requests)",
            "",
            "| URL | requests | req/s | p50 | p95 | failed |",
            "|---|---|---|---|---|---|",
        ]
        for row in rows:
            lines.append(f"| {row.name} | {row.load.requests:,} | {row.load.rps:,.0f} | {_ms(row.load.p50_ms)} | "
                         f"{_ms(row.load.p95_ms)} | {row.load.failures} |")  # fmt: skip
        lines.append("")

    if "ingest" in sections:
        with _section(lines, "Ingest"):
            print("== ingest", flush=True)
            count = 10_000 if args.quick else 30_000
            from bench import loadgen

            with loadgen.Server(server_env) as server:
                rates = ingest.run(owner_url, server.base, large, large_t.api_key, count)
            lines += [
                f"## Ingest ({count:,} activities per figure into {large.slug}; targets: bulk API ≥ 0.10 of raw COPY, "
                "pipeline ≥ 5,000/s)",
                "",
                "Baseline: COPY of the same rows (members known) as the owner into `LIKE community_activity INCLUDING "
                "ALL` without RLS. Duplicate runs re-send 10% already-stored items; rates count every item sent.",
                'Pipeline rows run the activity listener (Hearth\'s analyser) on every new item with text. "2 processes": the task body '
                "in two OS processes over separate inbox events (a Celery worker's concurrency 2 on 2 cores, no "
                'broker); "via Celery": a real worker, prefork --concurrency 2, tasks through Redis.',
                "",
                "| path | activities/s | raw COPY rows/s | ratio | note |",
                "|---|---|---|---|---|",
            ]
            for r in rates:
                lines.append(f"| {r.name} | {r.rate:,.0f} | {r.baseline:,.0f} | {r.ratio:.3f} | {r.note} |")
            lines.append("")

    if "dashboard" in sections:
        with _section(lines, "Dashboard and list reads"):
            print("== dashboard reads", flush=True)
            dash_sizes = (10_000, 100_000) if args.quick else (100_000, 1_000_000, 10_000_000)
            twin_members = 2_000 if args.quick else 5_000
            reads, counts, growths = dashboard.run(dash_sizes, twin_members, repeats=15 if args.quick else 30)
            at = " vs ".join(f"{n:,}" for n in counts)
            lines += [
                f"## Dashboard and list reads at {at} activities (twin communities, {twin_members:,} members each, "
                "owner signed in, in-process test client, fastest of 15 (quick) or 30 reads)",
                "",
                "Ratio = time at the smallest size / time at this size: 1.00 is flat (target ≥ 0.8). Query counts "
                "must be equal at every size.",
                "",
                "| page | " + " | ".join(f"at {dashboard.label(n)}" for n in counts) + " | "
                + " | ".join(f"ratio {dashboard.label(n)}" for n in counts[1:]) + " | queries |",
                "|---|" + "---|" * (2 * len(counts)),
            ]  # fmt: skip
            for r in reads:
                if r.failed:
                    lines.append(f"| {r.page} |" + " — |" * (2 * len(counts) - 1) + f" page failed: {r.queries} |")
                    continue
                equal = "" if len(set(r.queries)) == 1 else " **NOT EQUAL**"
                lines.append(
                    f"| {r.page} | " + " | ".join(_ms(ms) for ms in r.ms) + " | "
                    + " | ".join(f"{r.ratio(i):.2f}" for i in range(1, len(counts))) + " | "
                    + " → ".join(str(q) for q in r.queries) + f"{equal} |"
                )  # fmt: skip
            grown = [g for g in growths if g.rows]
            if grown:
                lines += ["", "Twins grown in this run (COPY through the generator's writer, committed per chunk):", ""]
                for g in grown:
                    lines.append(
                        f"- {g.slug}: {g.rows:,} activities in {g.seconds:,.0f}s, {g.rate:,.0f} rows/s end to end "
                        f"(COPY alone {g.copy_rate:,.0f} rows/s)"
                    )
            lines += ["", f"Size: {dashboard.table_size()} (every community of the bench database).", ""]

    if "crisis" in sections:
        with _section(lines, "Crisis watch evaluation"):
            print("== crisis watch", flush=True)
            sizes = (10_000, 100_000) if args.quick else (100_000, 1_000_000, 10_000_000)
            twin_members = 2_000 if args.quick else 5_000
            communities, _ = dashboard.twins(sizes, twin_members)
            counts = [dashboard.activity_count(c) for c in communities]
            results = crisis.run(communities, counts, repeats=10 if args.quick else 20)
            lines += [
                "## Crisis watch evaluation (`alerts_evaluate`, default rules, at each twin's newest activity; "
                "fastest of 10 (quick) or 20 runs)",
                "",
                "Queries must be equal at every size (they read the windows and the hourly rollups, never the "
                "history); ratio = time at the smallest size / time at this size.",
                "",
                "| activities | hourly rebuild | evaluation | ratio | queries | alerts |",
                "|---|---|---|---|---|---|",
            ]
            for r in results:
                lines.append(
                    f"| {r.activities:,} | {r.rebuild_seconds:.1f} s | {_ms(r.ms)} | {results[0].ms / r.ms:.2f} | "
                    f"{r.queries} | {r.alerts} |"
                )
            lines.append("")

    lines += [
        "## Rollups",
        "",
        "Not measured: no analytics/rollup feature exists yet (issue 6, item 3 waits for the analytics issue).",
        "",
        f"Total bench time {time.perf_counter() - started:,.0f}s.",
    ]
    report = "\n".join(lines) + "\n"
    if args.only:  # a partial run (CI's sustained load) keeps the full reports as they are
        out = ROOT / "bench" / "results" / f"only-{'-'.join(sorted(sections))}.md"
        out.write_text(report)
        print(report)
        print(f"written to {out}")
        return 0
    out = ROOT / "bench" / "results" / "latest.md"
    out.write_text(report)
    (out.parent / f"{mode}.md").write_text(report)  # the last quick and the last full run, side by side
    print(report)
    print(f"written to {out} and {out.parent / f'{mode}.md'}")
    return 0


@contextmanager
def _section(lines: list[str], title: str):
    """Run one section; if it fails (e.g. a page broken by work in progress), report the error and go on."""
    mark = len(lines)
    try:
        yield
    except Exception as error:
        traceback.print_exc()
        del lines[mark:]
        lines += [f"## {title}", "", f"**Section failed:** `{type(error).__name__}: {str(error)[:300]}`", ""]


def _counts(community) -> str:
    from community.models import Activity, Member
    from community.tenancy import community_scope
    from discussions.models import Reply, Topic

    with community_scope(community.pk):
        n = [m.objects.for_community(community).count() for m in (Member, Activity, Topic, Reply)]
    return f"{n[0]:,} members, {n[1]:,} activities, {n[2]:,} topics, {n[3]:,} replies"


def _copy_vs_unnest(community, quick: bool) -> list[str]:
    """The generator's two write paths on the same rows: unnest in the RLS scope vs COPY through the bypass."""
    from django.db import transaction

    from bench.datagen.generate import Generator, Sizes
    from community.tenancy import community_scope

    count = 20_000 if quick else 100_000
    with transaction.atomic(), community_scope(community.pk):
        Generator(Sizes(0, 0, 0, 0, 0), seed=4, log=lambda m: None).add_members(community, 200)
    rows = []
    for method in ("unnest", "copy", "unnest", "copy"):
        generator = Generator(Sizes(0, 0, 0, 0, 0), seed=5, method=method, log=lambda m: None)
        with transaction.atomic(), community_scope(community.pk):
            generator.add_activities(community, count)
        seconds = generator.writer.seconds["community_activity"]
        rows.append((method, count / seconds))
    best = {m: max(r for mm, r in rows if mm == m) for m in ("unnest", "copy")}
    print(f"  generator write paths: {best}", flush=True)
    return [
        f"Generator write path, {count:,} activities into {community.slug} (best of two each): "
        f"INSERT … unnest in the RLS scope {best['unnest']:,.0f} rows/s; COPY through the logged BYPASSRLS bypass "
        f"{best['copy']:,.0f} rows/s (ratio {best['copy'] / best['unnest']:.2f}).",
        "",
    ]


if __name__ == "__main__":
    sys.exit(main())
