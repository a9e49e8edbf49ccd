"""The registry apps plug into: what an app registers is what the core serves, and nothing else."""

import pytest
from celery import current_app, shared_task

from community import registry
from community.policy import Actor, action_rule, all_actions, can
from community.registry import AppContribution, MenuEntry, RegistryError
from community.services.activities import activity_ingest
from community.tenancy import community_scope
from tests.community.factories import activity_items


def test_every_registered_app_contributes_its_actions_to_the_policy():
    actions = all_actions()
    assert actions["discussions.post"] == action_rule("discussions.post")
    assert "channels.manage" in actions and "community.update" in actions


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        action_rule("moderation.review")


def test_api_scopes_are_the_core_areas_and_each_registered_apps():
    scopes = registry.api_scopes()
    assert {"community:read", "members:write", "discussions:read", "channels:write"} <= set(scopes)
    assert {"insights:read", "insights:write"} <= set(scopes)  # registered by insights/apps.py
    assert {"moderation:read", "moderation:write"} <= set(scopes)  # registered by moderation/apps.py
    # Areas nobody built are not offered as scopes.
    assert not any(scope.split(":")[0] == "advocacy" for scope in scopes)


def test_an_app_cannot_redefine_a_core_action():
    with pytest.raises(RegistryError):
        registry.register(AppContribution(label="rogue", actions={"members.update": (10, "members:write")}))
    assert "rogue" not in {c.label for c in registry.contributions()}


def test_an_action_must_name_a_registered_scope_area():
    with pytest.raises(RegistryError):
        registry.register(AppContribution(label="rogue", actions={"rogue.do": (10, "nowhere:write")}))


def test_an_app_cannot_take_another_apps_action():
    with pytest.raises(RegistryError):
        registry.register(AppContribution(label="rogue", actions={"discussions.post": (10, "discussions:write")}))


def test_menu_shows_only_what_the_role_may_open(world):
    from community.models import Member, Role
    from community.tenancy import community_scope
    from community.views.manage import dashboard_nav

    with community_scope(world.a.pk):
        owner = Member.objects.get(community=world.a, user=world.alice)
        moderator = Member.objects.get(community=world.a, user=world.bob)
        moderator.role = Role.MODERATOR
        owner_nav = [label for label, _ in dashboard_nav(Actor(community=world.a, member=owner))]
        moderator_nav = [label for label, _ in dashboard_nav(Actor(community=world.a, member=moderator))]
    assert owner_nav[0] == "Overview" and "Channels" in owner_nav and "API keys" in owner_nav
    # A moderator may not open channels, invitations, keys or settings: the menu does not offer them.
    assert "Members" in moderator_nav and "Discussions" in moderator_nav
    assert not {"Channels", "Invitations", "API keys", "Settings"} & set(moderator_nav)
    assert can(Actor(community=world.a, member=owner), "channels.view")


def test_demo_seeds_come_from_the_apps():
    from discussions.demo import seed_forum

    assert seed_forum in registry.demo_seeds()


def test_menu_entries_are_ordered():
    entries = registry.menu_entries()
    assert [e.order for e in entries] == sorted(e.order for e in entries)
    assert isinstance(entries[0], MenuEntry)


_announced: list[tuple[int, list[int]]] = []


@shared_task(name="tests.community.listener_probe")
def _listener_probe(community_id: int, activity_ids: list[int]) -> None:
    _announced.append((community_id, activity_ids))


def test_new_activities_are_announced_to_registered_listeners_after_commit(world, django_capture_on_commit_callbacks):
    registry.register(AppContribution(label="probe", activity_listeners=("tests.community.listener_probe",)))
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    _announced.clear()
    try:
        with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=True):
            first = activity_ingest(community=world.a, items=activity_items(3))
        with community_scope(world.a.pk), django_capture_on_commit_callbacks(execute=True):
            again = activity_ingest(community=world.a, items=activity_items(3))  # nothing new: no announcement
    finally:
        current_app.conf.task_always_eager = previous
        registry._contributions.pop("probe")
    assert [r["status"] for r in again] == ["existing"] * 3
    assert _announced == [(world.a.pk, sorted(r["id"] for r in first))]


def test_demo_seeds_run_by_their_order_then_by_registration():
    # Moderation makes the demo's people established (trust level 2) before the forum seeds their posts.
    names = [f"{seed.__module__}.{seed.__name__}" for seed in registry.demo_seeds()]
    assert names.index("moderation.demo.establish_members") < names.index("discussions.demo.seed_forum")
