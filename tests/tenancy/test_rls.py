"""Row-level security as the application role: the database refuses what the application forgets."""

import pytest
from django.db import DatabaseError, connection, transaction

from community.models import Member
from community.tenancy import community_scope, unscoped


def _raw_member_community_ids() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT community_id FROM community_member")  # deliberately unfiltered
        return {row[0] for row in cursor.fetchall()}


def test_tests_run_as_a_role_that_cannot_bypass_rls(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        assert cursor.fetchone() == (False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user")
        assert cursor.fetchone()[0] == 0


def test_unfiltered_select_in_a_scope_sees_only_that_community(world):
    with community_scope(world.a.pk):
        assert _raw_member_community_ids() == {world.a.pk}
    with community_scope(world.b.pk):
        assert _raw_member_community_ids() == {world.b.pk}


def test_a_forgotten_scope_returns_nothing(world):
    assert _raw_member_community_ids() == set()
    assert Member.objects.count() == 0


def test_insert_of_another_communitys_row_is_refused(world):
    with community_scope(world.a.pk), pytest.raises(DatabaseError, match="row-level security"):
        with transaction.atomic():
            Member.objects.create(community=world.b, display_name="smuggled")


def test_update_cannot_move_a_row_to_another_community(world):
    with community_scope(world.a.pk), pytest.raises(DatabaseError, match="row-level security"):
        with transaction.atomic():
            Member.objects.filter(pk=world.bob_member.pk).update(community=world.b)


def test_scope_is_restored_after_the_block(world):
    with community_scope(world.a.pk):
        with community_scope(world.b.pk):
            assert _raw_member_community_ids() == {world.b.pk}
        assert _raw_member_community_ids() == {world.a.pk}
    assert _raw_member_community_ids() == set()


def test_the_bypass_sees_every_community(world):
    with unscoped("test: platform-wide count"):
        assert _raw_member_community_ids() == {world.a.pk, world.b.pk}
