"""Bulk row writers for the generator: `INSERT … SELECT FROM unnest(…)` inside the community scope, or COPY.

Postgres refuses `COPY FROM` on a table with row-level security for a role the policy applies to (the app role,
and the owner too since RLS is FORCEd). Two ways around it, both measured (bench/README.md):

- "unnest": one INSERT per batch whose every column is one array parameter, run as the app role inside
  `community_scope(community_id)` — the policy checks every row, exactly as the application writes;
- "copy": COPY inside `unscoped(reason)`, the logged bypass that switches the transaction to the BYPASSRLS
  role, for which Postgres allows COPY.

Ids are reserved from the table's sequence first, so parents and children are written without RETURNING.
"""

import json
import time
from collections.abc import Callable, Sequence

import psycopg
from django.db import connection

from community.tenancy import unscoped

UNNEST_BATCH = 5000

Column = tuple[str, str]  # (name, Postgres type); "text[]" and "jsonb" are sent as text and cast


def _array_literal(values: list) -> str:
    def quote(v) -> str:
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    return "{" + ",".join(quote(v) for v in values) + "}"


def _raw_cursor() -> psycopg.Cursor:
    """A server-side-binding psycopg cursor on Django's connection (inside Django's transaction).

    Django's own cursor binds client-side, i.e. renders every array into the SQL text; a plain psycopg cursor
    sends the arrays as parameters.
    """
    connection.ensure_connection()
    return psycopg.Cursor(connection.connection)


def reserve_ids(table: str, count: int) -> list[int]:
    if count == 0:
        return []
    with _raw_cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


class Writer:
    """Writes columnar data (one list per column) with the chosen method and keeps rows/s per table."""

    def __init__(self, method: str = "unnest", log: Callable[[str], None] | None = None):
        if method not in ("unnest", "copy"):
            raise ValueError(f"unknown method {method!r}")
        self.method = method
        self.log = log or (lambda message: None)
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def write(self, table: str, columns: Sequence[Column], data: Sequence[list]) -> int:
        count = len(data[0]) if data else 0
        if count == 0:
            return 0
        start = time.perf_counter()
        if self.method == "copy":
            self._copy(table, columns, data)
        else:
            self._unnest(table, columns, data)
        self.rows[table] = self.rows.get(table, 0) + count
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - start
        return count

    def _unnest(self, table: str, columns: Sequence[Column], data: Sequence[list]) -> None:
        params_types, selects = [], []
        for index, (_name, pgtype) in enumerate(columns):
            if pgtype.endswith("[]") or pgtype == "jsonb":
                params_types.append("text[]")
                selects.append(f"c{index}::{pgtype}")
            else:
                params_types.append(f"{pgtype}[]")
                selects.append(f"c{index}")
        aliases = ", ".join(f"c{i}" for i in range(len(columns)))
        # Static identifiers and types only; every value is an array parameter.
        sql = (
            f'INSERT INTO "{table}" ({", ".join(name for name, _ in columns)}) '
            f"SELECT {', '.join(selects)} FROM unnest({', '.join(f'%s::{t}' for t in params_types)}) AS u({aliases})"
        )
        converted = []
        for (_name, pgtype), values in zip(columns, data, strict=True):
            if pgtype.endswith("[]"):
                values = [_array_literal(v) for v in values]
            elif pgtype == "jsonb":
                values = [v if isinstance(v, str) else json.dumps(v) for v in values]
            converted.append(values)
        count = len(data[0])
        with _raw_cursor() as cursor:
            for start in range(0, count, UNNEST_BATCH):
                cursor.execute(sql, [values[start : start + UNNEST_BATCH] for values in converted])

    def _copy(self, table: str, columns: Sequence[Column], data: Sequence[list]) -> None:
        jsonb = [pgtype == "jsonb" for _, pgtype in columns]
        with unscoped(f"bench data generator: COPY into {table}"), _raw_cursor() as cursor:
            names = ", ".join(name for name, _ in columns)
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in zip(*data, strict=True):
                    if any(jsonb):
                        row = tuple(
                            json.dumps(v) if is_json and not isinstance(v, str) else v
                            for v, is_json in zip(row, jsonb, strict=True)
                        )
                    copy.write_row(row)

    def summary(self) -> str:
        parts = []
        for table, rows in self.rows.items():
            seconds = self.seconds.get(table, 0.0)
            if seconds < 0.01:
                parts.append(f"{table}: {rows:,} rows")
                continue
            parts.append(f"{table}: {rows:,} rows in {seconds:.1f}s ({rows / max(seconds, 1e-9):,.0f} rows/s)")
        return "\n".join(parts)
