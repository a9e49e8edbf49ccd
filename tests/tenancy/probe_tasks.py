"""Tasks loaded only by the test worker (`-I tests.tenancy.probe_tasks`): what does a task's query see?"""

from celery import shared_task
from django.db import connection

from community.tenancy import scoped_task


def _visible_member_communities() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT community_id FROM community_member ORDER BY 1")  # deliberately unfiltered
        return [row[0] for row in cursor.fetchall()]


@shared_task(name="tests.tenancy.probe_scoped", ignore_result=False)
@scoped_task
def probe_scoped(community_id: int) -> list[int]:
    return _visible_member_communities()


@shared_task(name="tests.tenancy.probe_unscoped", ignore_result=False)
def probe_unscoped() -> list[int]:
    return _visible_member_communities()
