"""The per-transaction tenant scope that Postgres row-level security reads (`app.community_id`).

Every request and every task enters `community_scope(community_id)`: it opens (or joins) a transaction
and runs `set_config('app.community_id', …, true)`, which is transaction-local, so a pooled connection
handed to the next request or task starts with no scope and a forgotten filter returns nothing.
"""

import functools
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger("hearth.tenancy")

COMMUNITY_SETTING = "app.community_id"
ROLE_SETTING = "role"  # `SET LOCAL ROLE`, as a setting: set_config('role', …, true)


def _get(cursor, name: str) -> str:
    cursor.execute("SELECT current_setting(%s, true)", [name])
    return cursor.fetchone()[0] or ""


def _swap(cursor, name: str, value: str) -> str:
    """Set the transaction-local value and return the previous one, in one round trip.

    The scalar subquery runs as an InitPlan, before set_config in the select list.
    """
    cursor.execute("SELECT (SELECT current_setting(%s, true)), set_config(%s, %s, true)", [name, name, value])
    return cursor.fetchone()[0] or ""


@contextmanager
def _transaction_setting(name: str, value: str, using: str) -> Iterator[None]:
    """Set a transaction-local setting for the block and restore the previous value afterwards.

    Restoring matters because SET LOCAL outlives the block inside a longer transaction: nested scopes (a
    test inside its transaction, a service called from a request) must not leak into what follows.
    No savepoint: the block joins the surrounding transaction or opens one, and two statements is the cost.
    """
    with transaction.atomic(using=using, savepoint=False):
        with connections[using].cursor() as cursor:
            previous = _swap(cursor, name, value)
        try:
            yield
        finally:
            if not connections[using].needs_rollback:
                with connections[using].cursor() as cursor:
                    _swap(cursor, name, previous)


@contextmanager
def community_scope(community_id: int, *, using: str = "default") -> Iterator[None]:
    """Run the block inside one community's row-level-security scope (and a transaction)."""
    if not community_id:
        raise ValueError("community_scope needs a community id")
    with _transaction_setting(COMMUNITY_SETTING, str(int(community_id)), using):
        yield


@contextmanager
def unscoped(reason: str, *, using: str = "default", level: int = logging.INFO) -> Iterator[None]:
    """The one explicit bypass of row-level security, for work that truly spans communities.

    Platform admin, beat fan-out, API-key lookup and maintenance commands use it; every entry is logged.
    It switches the transaction to the BYPASSRLS role (settings.DATABASE_BYPASS_ROLE), of which the
    application role is a member; the policies themselves stay a plain equality.
    """
    logger.log(level, "tenancy bypass: %s", reason)
    with _transaction_setting(ROLE_SETTING, settings.DATABASE_BYPASS_ROLE, using):
        yield


def current_community_id(using: str = "default") -> int | None:
    with connections[using].cursor() as cursor:
        value = _get(cursor, COMMUNITY_SETTING)
    return int(value) if value else None


def scoped_task(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate a Celery task body whose first argument is `community_id`: run it inside that scope."""

    @functools.wraps(func)
    def wrapper(community_id: int, *args: Any, **kwargs: Any) -> Any:
        with community_scope(community_id):
            return func(community_id, *args, **kwargs)

    return wrapper
