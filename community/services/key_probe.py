"""Look many rows up by a two-column natural key in one statement, one unique-index probe per key.

`a IN (…) AND b IN (…)` probes the index for every combination of the two lists, and a plain join on
`unnest()` lets the planner hash every row of the community instead; `unnest(keys) CROSS JOIN LATERAL
(… LIMIT 1)` keeps it to one probe of the `(community, a, b)` unique index per key, whatever the batch size.
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection


def probe_by_key(
    *, table: str, community_id: int, key_columns: tuple[str, str], value_column: str, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Any]:
    """{key: value_column} for the keys stored in `table` for the community. Names are code's, never input."""
    firsts, seconds = [], []
    for first, second in keys:
        firsts.append(first)
        seconds.append(second)
    if not firsts:
        return {}
    a, b = key_columns
    sql = (
        f"SELECT k.a, k.b, t.v FROM unnest(%s::text[], %s::text[]) AS k(a, b) "  # noqa: S608
        f'CROSS JOIN LATERAL (SELECT "{value_column}" AS v FROM "{table}" WHERE community_id = %s '
        f'AND "{a}" = k.a AND "{b}" = k.b LIMIT 1) AS t'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [firsts, seconds, community_id])
        return {(first, second): value for first, second, value in cursor.fetchall()}
