"""Sustained load: forum pages and the API at 64 concurrent connections for 60 s, with no error allowed.

Not a ratio like the other sections: this one proves the server stays correct under load (no 5xx, no refused or
timed-out connection, no pool exhaustion) and reports p50/p95 as seen by the client. wrk (a maintained load tool)
when installed, else bench/loadgen's threaded loop; loopback only, bounded in time and connections.
"""

from dataclasses import dataclass

from . import loadgen
from .forum_reads import Target, pages

CONNECTIONS = 64
SECONDS = 60


@dataclass
class Row:
    name: str
    load: loadgen.Load


def run(env: dict[str, str], t: Target, seconds: float = SECONDS, connections: int = CONNECTIONS) -> list[Row]:
    """Half the time on forum pages (three URLs), half on the API (topic list); raises when any request failed."""
    urls = {name: (path, headers) for name, path, _, headers in pages(t)}
    plan = [name for name in urls if not name.startswith(("search", "member profile"))]
    share = seconds / len(plan)
    rows = []
    with loadgen.Server(env, workers=2) as server:
        for name in plan:
            path, headers = urls[name]
            loadgen.run(server.base + path, 1, 4, headers)  # warm: template compile, plans, connections
            rows.append(Row(name, loadgen.run(server.base + path, share, connections, headers)))
            print(f"  {name}: {rows[-1].load.rps:,.0f} req/s, p50 {rows[-1].load.p50_ms:.0f} ms, "
                  f"p95 {rows[-1].load.p95_ms:.0f} ms, {rows[-1].load.failures} failed", flush=True)  # fmt: skip
    failed = {row.name: row.load.failures for row in rows if row.load.failures}
    if failed:
        raise RuntimeError(f"sustained load: failed requests {failed}")
    return rows
