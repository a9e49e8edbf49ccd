"""Hourly rollups: the incremental path after new activities ends in exactly the rows a rebuild makes, back-dated
arrivals and re-deliveries included; the data migration gives existing communities their rules and baseline."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from community.models import Activity
from community.tenancy import community_scope
from insights.models import AlertRule, CrisisSettings, HourStat
from insights.services.hourly import hourstats_rebuild, hourstats_update

from .generate import NOW, insert

pytestmark = pytest.mark.django_db


def _rows(community):
    with community_scope(community.pk):
        return sorted(HourStat.objects.for_community(community).values_list("hour", "channel", "activities", "scored",
                                                                            "negative"))  # fmt: skip


def test_incremental_hours_equal_a_rebuild(world):
    first = insert(world.a, [(NOW - timedelta(hours=3), "discord", 10, 4, timedelta(hours=2), "bad")], tag="a")
    late = insert(world.a, [(NOW - timedelta(days=9), "github", 5, 5, timedelta(minutes=30), "bad")], tag="b",
                  arrived=NOW)  # fmt: skip
    with community_scope(world.a.pk):
        hourstats_update(community=world.a, activity_ids=first)
        hourstats_update(community=world.a, activity_ids=late)
        hourstats_update(community=world.a, activity_ids=first)  # re-delivered: the same rows
    incremental = _rows(world.a)
    assert sum(r[2] for r in incremental) == 15 and sum(r[4] for r in incremental) == 9
    with community_scope(world.a.pk):
        HourStat.objects.for_community(world.a).delete()
        hourstats_rebuild(community=world.a, start=NOW - timedelta(days=10), end=NOW)
    assert _rows(world.a) == incremental
    assert _rows(world.b) == []


def test_the_hourly_update_is_two_statements_whatever_the_batch(world, django_assert_num_queries):
    ids = insert(world.a, [(NOW - timedelta(hours=30), "discord", 300, 10, timedelta(hours=30), "bad")], tag="a")
    with community_scope(world.a.pk), django_assert_num_queries(2):
        hourstats_update(community=world.a, activity_ids=ids)


def test_the_data_migration_gives_existing_communities_rules_and_a_baseline(world):
    migration = import_module("insights.migrations.0006_crisis_defaults")
    ids = insert(world.a, [(NOW - timedelta(days=2), "discord", 6, 2, timedelta(hours=1), "bad")], tag="a")
    with community_scope(world.a.pk):  # two hours ago, inside the migration's 29 days of the real clock
        Activity.objects.for_community(world.a).filter(pk__in=ids).update(
            occurred_at=timezone.now() - timedelta(hours=2)
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection
    migration.forwards(apps, editor)
    migration.forwards(apps, editor)  # twice: nothing doubled
    for community in (world.a, world.b):
        with community_scope(community.pk):
            assert CrisisSettings.objects.for_community(community).count() == 1
            assert AlertRule.objects.for_community(community).count() == 4
    assert sum(r[2] for r in _rows(world.a)) == 6
