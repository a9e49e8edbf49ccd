"""The Celery app the end-to-end test's worker runs: Hearth's app, with a short visibility timeout so a killed
worker's unacknowledged task is redelivered within seconds, and (optionally) a slow ingest so the test can kill
the worker while a batch is mid-transaction."""

import os
import time

from hearth.celery import app

_suffix = "channels-e2e" + os.environ.get("HEARTH_TEST_DB_SUFFIX", "")
# Own unacked bookkeeping keys: a short visibility timeout must never restore other workers' messages on the
# shared broker; scan for expired ones every second.
app.conf.broker_transport_options = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    "unacked_key": f"unacked-{_suffix}",
    "unacked_index_key": f"unacked_index-{_suffix}",
    "unacked_mutex_key": f"unacked_mutex-{_suffix}",
}

_slow = float(os.environ.get("HEARTH_TEST_SLOW_INGEST", "0") or 0)
if _slow:
    import django

    django.setup()
    from integrations.services import inbox

    _ingest = inbox.activity_ingest

    def slow_ingest(**kwargs):
        result = _ingest(**kwargs)
        time.sleep(_slow)  # rows written, transaction still open: a SIGKILL now must roll everything back
        return result

    inbox.activity_ingest = slow_ingest
