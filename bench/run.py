"""Run Hearth's benchmarks and write bench/results/latest.md. `--quick` for the small, few-minute run.

Every figure is printed next to a baseline measured in the same run on the same database; the
ratio is what we hold ourselves to, never an absolute time.
"""

import argparse
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _versions() -> str:
    import django
    import psycopg

    with psycopg.connect(os.environ["MIGRATION_DATABASE_URL"]) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, PostgreSQL {server}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data, a few minutes on 2 cores")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hearth.settings")
    import django

    django.setup()
    from bench import rls_cost

    owner_url, app_url = os.environ["MIGRATION_DATABASE_URL"], os.environ["DATABASE_URL"]
    app_role = urlparse(app_url).username
    lines = [
        f"# Hearth benchmarks ({'quick' if args.quick else 'full'})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M UTC} — {_versions()}",
        "",
        "## Row-level security cost (target ratio ≥ 0.95)",
        "",
        "| benchmark | without RLS | with RLS | ratio |",
        "|---|---|---|---|",
    ]
    for result in rls_cost.run(owner_url, app_url, app_role, quick=args.quick):
        lines.append(
            f"| {result.name} | {result.baseline:,.0f} {result.unit} | {result.measured:,.0f} {result.unit} "
            f"| {result.ratio:.2f} |"
        )
    report = "\n".join(lines) + "\n"
    out = ROOT / "bench" / "results" / "latest.md"
    out.write_text(report)
    print(report)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
