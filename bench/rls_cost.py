"""What row-level security costs: the same tenant-filtered list query and bulk insert, RLS on vs off.

Two identical tables in a scratch database, one under the tenant policy (ENABLE + FORCE), queried and
filled as the application role in the same run; the ratio is throughput with RLS / without (target ≥ 0.95).
"""

import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from community.tenancy.rls import enable_sql

COMMUNITIES = 50


@dataclass
class Result:
    name: str
    baseline: float  # operations per second without RLS
    measured: float  # with RLS
    unit: str

    @property
    def ratio(self) -> float:
        return self.measured / self.baseline


def _connect(url: str, dbname: str) -> psycopg.Connection:
    return psycopg.connect(url, dbname=dbname, autocommit=True)


def prepare(owner_url: str, app_role: str, dbname: str, rows: int) -> None:
    with psycopg.connect(owner_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    with _connect(owner_url, dbname) as conn:
        for table in ("bench_rls_on", "bench_rls_off"):
            conn.execute(
                f"CREATE TABLE {table} (id bigserial PRIMARY KEY, community_id bigint NOT NULL, "
                "created_at timestamptz NOT NULL, title text NOT NULL, body text NOT NULL)"
            )
            conn.execute(f"CREATE INDEX ON {table} (community_id, created_at DESC)")
            with conn.cursor().copy(f"COPY {table} (community_id, created_at, title, body) FROM STDIN") as copy:
                start = datetime(2025, 1, 1, tzinfo=UTC)
                for i in range(rows):  # one row a minute across all communities: months of history
                    copy.write_row((i % COMMUNITIES + 1, start + timedelta(minutes=i), f"title {i}", "body " * 20))
            conn.execute(f"ANALYZE {table}")
            conn.execute(f'GRANT SELECT, INSERT ON {table} TO "{app_role}"')
            conn.execute(f'GRANT USAGE ON SEQUENCE {table}_id_seq TO "{app_role}"')
        conn.execute(enable_sql("bench_rls_on"))


def _time_list(conn, table: str, repeats: int) -> float:
    timings = []
    for i in range(repeats):
        community_id = i % COMMUNITIES + 1
        start = time.perf_counter()
        with conn.transaction():
            conn.execute("SELECT set_config('app.community_id', %s, true)", [str(community_id)])
            conn.execute(
                f"SELECT id, title FROM {table} WHERE community_id = %s ORDER BY created_at DESC LIMIT 50",
                [community_id],
            ).fetchall()
        timings.append(time.perf_counter() - start)
    return 1 / statistics.median(timings)


def _time_insert(conn, table: str, batch: int, repeats: int) -> float:
    rates = []
    for r in range(repeats):
        community_id = r % COMMUNITIES + 1
        start = time.perf_counter()
        with conn.transaction():
            conn.execute("SELECT set_config('app.community_id', %s, true)", [str(community_id)])
            # Postgres refuses COPY FROM under RLS for a non-bypass role; one INSERT … SELECT unnest() is
            # the bulk path the application uses instead.
            conn.execute(
                f"INSERT INTO {table} (community_id, created_at, title, body) "
                "SELECT * FROM unnest(%s::bigint[], %s::timestamptz[], %s::text[], %s::text[])",
                [
                    [community_id] * batch,
                    ["2026-02-01T00:00:00Z"] * batch,
                    [f"new {i}" for i in range(batch)],
                    ["body"] * batch,
                ],
            )
        rates.append(batch / (time.perf_counter() - start))
    return statistics.median(rates)


def run(owner_url: str, app_url: str, app_role: str, quick: bool = True) -> list[Result]:
    dbname = "hearth_bench_rls"
    rows = 200_000 if quick else 2_000_000
    prepare(owner_url, app_role, dbname, rows)
    repeats = 400 if quick else 2000
    results = []
    try:
        with _connect(app_url, dbname) as conn:
            conn.autocommit = False
            # Interleave and warm up so both tables see the same cache state.
            _time_list(conn, "bench_rls_off", 50)
            _time_list(conn, "bench_rls_on", 50)
            off = _time_list(conn, "bench_rls_off", repeats)
            on = _time_list(conn, "bench_rls_on", repeats)
            results.append(Result("Tenant list query (50 newest of one community)", off, on, "queries/s"))
            off = _time_insert(conn, "bench_rls_off", 5000, 9)
            on = _time_insert(conn, "bench_rls_on", 5000, 9)
            results.append(Result("Bulk insert (INSERT … SELECT unnest, 5,000 rows)", off, on, "rows/s"))
    finally:
        with psycopg.connect(owner_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
    return results
