"""Enqueue a Celery task by its name once the current transaction commits: how services start background work.

Services never import tasks (tasks import services; the other way is a circle). They name the task instead, as
Zulip's `queue_json_publish` names a queue, and the task runs only if the write it depends on committed.
"""

from celery import current_app
from django.db import transaction


def _task(name: str):
    app = current_app
    if name not in app.tasks:
        # Autodiscovery is lazy outside a worker: import every installed app's tasks module once.
        app.loader.import_default_modules()
    return app.tasks[name]


def enqueue_on_commit(task_name: str, *args) -> None:
    """Send `task_name(*args)` after commit; an unknown name fails now (KeyError), not silently in a worker."""
    task = _task(task_name)
    transaction.on_commit(lambda: task.delay(*args))
