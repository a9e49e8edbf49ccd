"""The benchmark's own database: `<name>_bench` beside the configured one, created fresh and migrated.

Benchmarks never touch the development or test databases; run.py points DATABASE_URL and
MIGRATION_DATABASE_URL at the bench database before Django is set up.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = os.environ.get("HEARTH_BENCH_DB_SUFFIX", "_bench")


def with_database(url: str, name: str) -> str:
    parts = urlparse(url)
    return urlunparse(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def bench_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment with both database URLs pointed at the bench database."""
    env = dict(os.environ if env is None else env)
    name = database_name(env["MIGRATION_DATABASE_URL"])
    if not name.endswith(SUFFIX):
        name += SUFFIX
    env["DATABASE_URL"] = with_database(env["DATABASE_URL"], name)
    env["MIGRATION_DATABASE_URL"] = with_database(env["MIGRATION_DATABASE_URL"], name)
    return env


def recreate(env: dict[str, str], log=print) -> None:
    """Drop and create the bench database as the owner, let the app role in, migrate (as the owner)."""
    name = database_name(env["MIGRATION_DATABASE_URL"])
    app_role = urlparse(env["DATABASE_URL"]).username
    maintenance = with_database(env["MIGRATION_DATABASE_URL"], "postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(f'GRANT CONNECT ON DATABASE "{name}" TO "{app_role}"')
    with psycopg.connect(env["MIGRATION_DATABASE_URL"], autocommit=True) as conn:
        bypass = env.get("HEARTH_DB_BYPASS_ROLE", "hearth_bypass")
        conn.execute(f'GRANT USAGE ON SCHEMA public TO "{app_role}", "{bypass}"')
    log(f"migrating {name} ...")
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)
