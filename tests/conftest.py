"""Test set-up: migrate the test database as the owner role, run every test as the application role.

Fixtures give two communities: A (alice owns it, bob is a member) and B (charlie owns it), with data.
"""

import uuid

import pytest
from django.conf import settings
from django.db import connections

from hearth.celery import app as celery_app
from tests.factories import make_world


def pytest_configure(config):
    if "owner" not in settings.DATABASES:
        raise pytest.UsageError("Set MIGRATION_DATABASE_URL (owner role) beside DATABASE_URL (application role).")
    if settings.DATABASES["owner"]["USER"] == settings.DATABASES["default"]["USER"]:
        raise pytest.UsageError("DATABASE_URL must use the application role, not the owner.")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """Create the test database and run migrations as the owner; then point `default` (app role) at it."""
    owner = connections["owner"]
    default = connections["default"]
    original_name = owner.settings_dict["NAME"]
    with django_db_blocker.unblock():
        test_name = owner.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        default.close()
        default.settings_dict["NAME"] = test_name
        with owner.cursor() as cursor:
            # Transactional tests flush with TRUNCATE; in production the app role never gets it.
            cursor.execute(f'GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO "{default.settings_dict["USER"]}"')
    yield
    with django_db_blocker.unblock():
        _end_leftover_sessions(default)
        default.close()
        owner.creation.destroy_test_db(original_name, verbosity=0)


def _end_leftover_sessions(default) -> None:
    """The live server's request threads can outlive the browser's keep-alive sockets with a session open,
    and the test database cannot be dropped while one is. End them here, once, when no test is left: ending
    them after a test also ended the next test's own session (Playwright's event loop runs the test code in
    another context, so "every session but mine" included it)."""
    with default.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND usename = current_user AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture(autouse=True)
def _fresh_cache_namespace(settings):
    """Each test gets its own cache key prefix: throttles and rate limits never leak between tests or
    parallel runs, and nothing needs `cache.clear()` (which would FLUSHDB the Redis shared with Celery)."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


@pytest.fixture(autouse=True)
def _emails_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ACCOUNT_EMAIL_VERIFICATION = "optional"


@pytest.fixture
def eager_celery():
    """Tasks run in the test process when sent (and their errors propagate): the worker's half of a flow."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = True, True
    yield celery_app
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous
