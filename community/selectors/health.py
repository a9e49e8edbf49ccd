"""Is the platform reachable: the database and the Celery broker, for /healthz and the operators' probes."""

from celery import current_app
from django.db import connection


def health_checks() -> dict[str, str]:
    """ "ok" or "error: <ExceptionClass>" per dependency; the class only, never a host or a message."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        # The configured app (hearth/celery.py is current from startup); the core never imports configuration.
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as error:
        checks["broker"] = f"error: {error.__class__.__name__}"
    return checks
