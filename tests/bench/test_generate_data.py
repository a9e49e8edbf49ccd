"""The benchmark data generator at tiny size: exact row counts, both write paths, refuses a second run."""

import pytest

from bench.datagen.__main__ import generate
from bench.datagen.generate import Generator, Sizes, allocate
from community.models import Activity, Community, Identity, Member
from community.tenancy import community_scope, unscoped
from discussions.models import Reply, Space, Topic


def _counts() -> dict[str, int]:
    with unscoped("test: count generated rows across communities"):
        return {
            "communities": Community.objects.filter(slug__startswith="bench-").count(),
            "members": Member.objects.count(),
            "activities": Activity.objects.count(),
            "topics": Topic.objects.count(),
            "replies": Reply.objects.count(),
        }


def test_allocate_splits_exactly_with_a_minimum():
    parts = allocate(100, [1.0, 0.5, 0.1], minimum=5)
    assert sum(parts) == 100 and min(parts) >= 5 and parts[0] > parts[1] > parts[2]


@pytest.mark.parametrize("method", ["unnest", "copy"])
def test_generator_writes_exact_row_counts(db, method):
    Generator(Sizes(3, 30, 200, 12, 60), seed=1, method=method, log=lambda m: None).run(analyze=False)

    assert _counts() == {"communities": 3, "members": 30, "activities": 200, "topics": 12, "replies": 60}


def test_generated_data_is_skewed_and_consistent(db):
    Generator(Sizes(3, 60, 600, 12, 120), seed=1, log=lambda m: None).run(analyze=False)

    communities = list(Community.objects.filter(slug__startswith="bench-").order_by("id"))
    sizes = []
    for community in communities:
        with community_scope(community.pk):
            sizes.append(Activity.objects.for_community(community).count())
            members = Member.objects.for_community(community)
            assert members.filter(role="owner", user__isnull=False).count() == 1
            assert Identity.objects.for_community(community).count() >= members.count()
            assert sum(members.values_list("activity_count", flat=True)) == sizes[-1]
            assert Space.objects.for_community(community).exists()
            for topic in Topic.objects.for_community(community):
                assert Reply.objects.for_community(community).filter(topic=topic).count() == topic.reply_count
    assert sizes[0] > sizes[-1]  # a large community first, smaller ones after


def test_command_refuses_a_database_that_already_holds_generated_data(db):
    args = ["--communities", "2", "--members", "4", "--activities", "10", "--topics", "2", "--replies", "4"]
    Generator(Sizes(2, 4, 10, 2, 4), seed=1, log=lambda m: None).run(analyze=False)

    with pytest.raises((RuntimeError, ValueError)):
        generate(args, log=lambda m: None)
