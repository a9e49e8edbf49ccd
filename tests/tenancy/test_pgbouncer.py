"""Through PgBouncer in transaction pooling, the tenant setting of one client never reaches the next."""

import os
import shutil
import socket
import subprocess
import tempfile
import time

import psycopg
import pytest
from django.conf import settings

from community.tenancy import scope

PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if os.path.exists("/usr/sbin/pgbouncer") else None)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PGBOUNCER is None, reason="pgbouncer binary not installed (apt-get install pgbouncer)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def bouncer():
    """PgBouncer on a free port in transaction mode, ONE server connection, so both clients share it."""
    db = settings.DATABASES["default"]
    port = _free_port()
    workdir = tempfile.mkdtemp(prefix="hearth-pgb-")
    if os.geteuid() == 0:  # started as root it drops to `postgres`, which must write its socket here
        shutil.chown(workdir, "postgres")
    ini = os.path.join(workdir, "pgbouncer.ini")
    with open(ini, "w") as handle:
        handle.write(
            f"[databases]\n* = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']}\n"
            f"[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir = {workdir}\n"
            "auth_type = any\npool_mode = transaction\ndefault_pool_size = 1\nmax_client_conn = 10\n"
            "server_reset_query =\nignore_startup_parameters = extra_float_digits,options\n"
            + ("user = postgres\n" if os.geteuid() == 0 else "")
        )
    process = subprocess.Popen([PGBOUNCER, ini], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"pgbouncer did not start: {process.stdout.read().decode()}") from None
                time.sleep(0.2)
        yield f"host=127.0.0.1 port={port} dbname={db['NAME']} user={db['USER']}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def _scope(cursor) -> str:
    cursor.execute("SELECT coalesce(current_setting('app.community_id', true), '')")
    return cursor.fetchone()[0]


def test_second_client_never_sees_the_first_clients_scope(db, bouncer):
    # prepare_threshold=None: PgBouncer in transaction mode cannot keep server-side prepared statements.
    first = psycopg.connect(bouncer, autocommit=False, prepare_threshold=None, connect_timeout=5)
    second = psycopg.connect(bouncer, autocommit=False, prepare_threshold=None, connect_timeout=5)
    try:
        for round_ in range(20):
            with first.cursor() as a:
                # The project's own setter (community_scope and unscoped both go through it).
                scope._swap(a, scope.COMMUNITY_SETTING, str(1000 + round_))
                scope._swap(a, scope.ROLE_SETTING, settings.DATABASE_BYPASS_ROLE)
                a.execute("SELECT pg_backend_pid(), current_user")
                first_pid, first_user = a.fetchone()
                assert first_user == settings.DATABASE_BYPASS_ROLE
                assert _scope(a) == str(1000 + round_)
            first.commit()  # the server connection goes back to the pool with the setting gone
            with second.cursor() as b:
                b.execute("SELECT pg_backend_pid()")
                assert b.fetchone()[0] == first_pid, "one pooled server connection is shared by both clients"
                assert _scope(b) == "", f"round {round_}: the second client saw the first client's scope"
                b.execute("SELECT current_user")
                assert b.fetchone()[0] == settings.DATABASES["default"]["USER"], "the bypass role leaked"
            second.commit()
        # A session-level set_config (false) WOULD leak through the pool: the reason the app must use `true`.
        with first.cursor() as a:
            a.execute("SELECT set_config('app.community_id', '7', false)")
        first.commit()
        with second.cursor() as b:
            assert _scope(b) == "7"
            b.execute("RESET app.community_id")
        second.commit()
    finally:
        first.close()
        second.close()
