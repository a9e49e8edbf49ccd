"""The registry apps plug into: URL includes, dashboard menu entries, API-key scope areas, policy actions, demo seeds.

Each app calls `register(AppContribution(...))` from its `AppConfig.ready()`, so adding an area never edits the
core: the core's urls, dashboard menu, API-key scopes, policy table and demo seed read what was registered.
(The shape follows Django's admin autodiscovery and Sentry's/Saleor's plugin registries, kept small.)

Registration happens during app loading, before any URLconf, form or serializer is imported, so everything that
reads the registry at import time of those modules sees every app.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module

# The core's own API-key scope areas; apps add theirs.
CORE_SCOPE_AREAS = ("community", "members", "activities")


@dataclass(frozen=True)
class MenuEntry:
    """One link of the manager dashboard's side menu, shown to actors the policy allows `action`."""

    label: str
    url_name: str  # reversed with the community slug as its only argument
    action: str = "dashboard.view"
    order: int = 100


@dataclass(frozen=True)
class ActivityAction:
    """A link in the menu of one activity (member timeline, moderation item): reversed with (community slug, activity
    id) and shown to actors the policy allows `action`, e.g. feedback's "Use as feedback"."""

    label: str
    url_name: str
    action: str


@dataclass(frozen=True)
class AppContribution:
    label: str
    # (prefix, module) pairs included under /c/<community_slug>/ (and at / on a custom domain), after the core's own
    # routes, in registration order. The module's `app_name` namespaces its URL names under "community:".
    community_urls: tuple[tuple[str, str], ...] = ()
    # Modules included under /api/v1/ and /api/v1/c/<community_slug>/.
    api_urls: tuple[str, ...] = ()
    # (prefix, module) pairs mounted at the site root: routes whose tenant comes from something else (a webhook's
    # connection id). They are never rewritten by the custom-domain middleware.
    root_urls: tuple[tuple[str, str], ...] = ()
    menu: tuple[MenuEntry, ...] = ()
    scope_areas: tuple[str, ...] = ()
    # action -> (lowest role rank, API-key scope or None). The core registers community.policy.CORE_ACTIONS itself.
    actions: Mapping[str, tuple[int, str | None]] = field(default_factory=dict)
    # Dotted path of `seed(community, members_by_handle) -> None`, run by `manage.py seed_demo`.
    demo_seed: str | None = None
    # Seeds run by this number, then by registration: a seed others' content depends on (who may post) goes first.
    demo_seed_order: int = 100
    # Celery task names run as `task(community_id, [activity ids])` after the transaction that stored new activities
    # commits (forum posts, the Activity API, channel ingest alike): how scoring and rollups hear about new rows
    # without the core naming them. Existing (deduplicated) activities are not announced again.
    activity_listeners: tuple[str, ...] = ()
    # Celery task names run as `task(community_id, member_id)` after someone asks to join a private community (the
    # member is pending): how moderation puts the request in its queue without the core naming it.
    join_request_listeners: tuple[str, ...] = ()
    # Dotted paths of `panel(request) -> str` (rendered HTML) shown on the community settings page, each posting to
    # its app's own URL: how an app offers a setting of its own (insights: the time zone) without the core naming it.
    settings_panels: tuple[str, ...] = ()
    # Actions a silenced member (policy.SILENCED_TAG among their tags) loses while keeping their membership: a
    # moderation sanction names the posting actions of other apps without the core naming any of them.
    silenced_actions: tuple[str, ...] = ()
    # Dotted paths of `check(*, community, actor, kind, title, body, editing) -> ContentVerdict | None`
    # (community/content_checks.py), run by the forum on every topic and reply it is about to store, created or
    # edited: how moderation blocks, holds, flags or censors a post (watched words, trust levels, rate limits)
    # without the forum naming it.
    content_checks: tuple[str, ...] = ()
    # Links offered on each activity of the dashboard's activity lists, without the core naming the app behind them.
    activity_actions: tuple[ActivityAction, ...] = ()


class RegistryError(Exception):
    pass


_contributions: dict[str, AppContribution] = {}
_actions: dict[str, tuple[int, str | None]] = {}  # merged view of every app's actions, rebuilt on register


def register(contribution: AppContribution) -> None:
    """Add an app's contribution; registering the same label twice replaces it (autoreload runs ready() again)."""
    known_areas = set(CORE_SCOPE_AREAS) | set(contribution.scope_areas)
    for other in _contributions.values():
        if other.label != contribution.label:
            known_areas |= set(other.scope_areas)
            clash = set(other.actions) & set(contribution.actions)
            if clash:
                raise RegistryError(f"{contribution.label} registers actions {sorted(clash)} of {other.label}")
    for action, (_, scope) in contribution.actions.items():
        if scope is not None and scope.partition(":")[0] not in known_areas:
            raise RegistryError(f"action {action} of {contribution.label} needs the unknown scope {scope}")
    _contributions[contribution.label] = contribution
    _actions.clear()
    _actions.update({action: rule for c in _contributions.values() for action, rule in c.actions.items()})


def contributions() -> tuple[AppContribution, ...]:
    return tuple(_contributions.values())


def scope_areas() -> tuple[str, ...]:
    return CORE_SCOPE_AREAS + tuple(area for c in _contributions.values() for area in c.scope_areas)


def api_scopes() -> tuple[str, ...]:
    """Every API-key scope: `<area>:<read|write>`; write implies read of the same area (ApiKey.allows)."""
    return tuple(f"{area}:{mode}" for area in scope_areas() for mode in ("read", "write"))


def actions() -> Mapping[str, tuple[int, str | None]]:
    return _actions


def menu_entries() -> list[MenuEntry]:
    return sorted((entry for c in _contributions.values() for entry in c.menu), key=lambda entry: entry.order)


def activity_actions() -> list[ActivityAction]:
    return [entry for c in _contributions.values() for entry in c.activity_actions]


def community_url_includes() -> list[tuple[str, str]]:
    return [pair for c in _contributions.values() for pair in c.community_urls]


def api_url_includes() -> list[str]:
    return [module for c in _contributions.values() for module in c.api_urls]


def root_url_includes() -> list[tuple[str, str]]:
    return [pair for c in _contributions.values() for pair in c.root_urls]


def silenced_actions() -> frozenset[str]:
    return frozenset(action for c in _contributions.values() for action in c.silenced_actions)


def activity_listeners() -> list[str]:
    return [name for c in _contributions.values() for name in c.activity_listeners]


def join_request_listeners() -> list[str]:
    return [name for c in _contributions.values() for name in c.join_request_listeners]


def content_checks() -> list[Callable]:
    return [_load(dotted) for c in _contributions.values() for dotted in c.content_checks]


def _load(dotted: str) -> Callable:
    module, _, name = dotted.rpartition(".")
    return getattr(import_module(module), name)


def settings_panels() -> list[Callable]:
    panels = []
    for c in _contributions.values():
        for dotted in c.settings_panels:
            module, _, name = dotted.rpartition(".")
            panels.append(getattr(import_module(module), name))
    return panels


def demo_seeds() -> list[Callable]:
    seeds = []
    ordered = sorted(_contributions.values(), key=lambda c: c.demo_seed_order)  # stable: registration order within
    for c in ordered:
        if c.demo_seed:
            module, _, name = c.demo_seed.rpartition(".")
            seeds.append(getattr(import_module(module), name))
    return seeds
