"""Under row-level security the search and tag filters still use their GIN indexes (LEAKPROOF operators).

hearth/sql/leakproof_operators.sql marks `@@`, `@>` and `&&` LEAKPROOF; without it Postgres must apply the
tenant policy first and can only narrow by community. Sequential scans are disabled so the plan shows
which indexes are usable at all, whatever the (tiny) table sizes.
"""

import pytest
from django.db import connection, connections

from community.models import Member
from community.selectors.activities import activity_list
from community.services.activities import activity_ingest
from community.tenancy import community_scope
from tests.factories import make_world


def _item(n: int) -> dict:
    return {
        "source": "github",
        "external_id": f"c{n}",
        "kind": "comment",
        "occurred_at": "2026-10-01T12:00:00Z",
        "title": f"Report {n}",
        "body": "The exporter crashes with a traceback" if n % 1000 == 0 else "Works nicely, thanks",
        "identity": {"channel": "github", "external_id": f"u{n % 3}", "handle": f"user{n % 3}"},
    }


def _analyze(table: str) -> None:
    # Only the owner may VACUUM ANALYZE (which also merges the GIN pending list the planner would otherwise
    # price in); it needs the rows committed, hence the transactional tests.
    with connections["owner"].cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {table}")


def _no_seqscan():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")


pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "owner"])


def test_full_text_search_uses_the_gin_index_under_rls():
    world = make_world()
    with community_scope(world.a.pk):
        activity_ingest(community=world.a, items=[_item(n) for n in range(4000)])
    _analyze("community_activity")
    with community_scope(world.a.pk):
        _no_seqscan()
        plan = activity_list(community=world.a, filters={"q": "crashes"}).explain()
        assert activity_list(community=world.a, filters={"q": "crash"}).count() == 4
    assert "activity_search" in plan


def test_tag_filter_uses_the_gin_index_under_rls():
    world = make_world()
    with community_scope(world.a.pk):
        Member.objects.bulk_create(
            [Member(community=world.a, display_name=f"m{n}", tags=["beta"] if n == 7 else ["ga"]) for n in range(4000)]
        )
    _analyze("community_member")
    with community_scope(world.a.pk):
        _no_seqscan()
        plan = Member.objects.for_community(world.a).filter(tags__contains=["beta"]).explain()
    assert "member_tags" in plan
