"""Who may do what in a community: the one place permissions are decided, for pages and the API alike.

An actor is a signed-in member (by role), an anonymous visitor, or an API key (by scopes). Each action
names the lowest role allowed and the API-key scope that grants it.
"""

from dataclasses import dataclass

from community import registry
from community.models import ApiKey, Community, Member, Role

RANK = {Role.OWNER: 50, Role.ADMIN: 40, Role.MANAGER: 30, Role.MODERATOR: 20, Role.MEMBER: 10}
VISITOR = 0  # anonymous or signed-in non-member; reads public communities only
# A member carrying this tag is read-only: the registry's `silenced_actions` are refused to them. A tag, because the
# member row is already loaded for every request, so the rule costs no query (moderation's silence sets and lifts it).
SILENCED_TAG = "silenced"

# action -> (lowest role, api-key scope). VISITOR actions still need a public community or membership.
# The core's actions, registered by CommunityConfig.ready(); each app registers its own (community/registry.py).
CORE_ACTIONS: dict[str, tuple[int, str | None]] = {
    "community.view": (VISITOR, "community:read"),
    "community.update": (RANK[Role.ADMIN], "community:write"),
    "dashboard.view": (RANK[Role.MODERATOR], None),
    "members.view": (RANK[Role.MODERATOR], "members:read"),
    "members.update": (RANK[Role.MANAGER], "members:write"),
    "members.change_role": (RANK[Role.ADMIN], "members:write"),
    "members.approve": (RANK[Role.MANAGER], "members:write"),
    "invitations.manage": (RANK[Role.ADMIN], "members:write"),
    "api_keys.manage": (RANK[Role.ADMIN], None),  # keys never mint keys
    "activities.view": (RANK[Role.MODERATOR], "activities:read"),
    "activities.write": (RANK[Role.MANAGER], "activities:write"),
    "members.merge": (RANK[Role.MANAGER], "members:write"),
    "members.notes": (RANK[Role.MODERATOR], "members:write"),
    "members.import": (RANK[Role.MANAGER], "members:write"),
    "members.export": (RANK[Role.ADMIN], "members:write"),  # GDPR export: everything held on a person
    "members.erase": (RANK[Role.ADMIN], "members:write"),
    "segments.manage": (RANK[Role.MANAGER], "members:write"),
    "organizations.view": (RANK[Role.MODERATOR], "members:read"),
    "organizations.manage": (RANK[Role.MANAGER], "members:write"),
}


@dataclass(frozen=True)
class Actor:
    community: Community
    user_id: int | None = None
    member: Member | None = None
    api_key: ApiKey | None = None

    @property
    def rank(self) -> int:
        if self.member is None or not self.member.is_active:
            return VISITOR
        return RANK[Role(self.member.role)]

    @property
    def is_member(self) -> bool:
        return self.member is not None and self.member.is_active

    @property
    def is_staff(self) -> bool:
        return self.rank >= RANK[Role.MODERATOR]


def all_actions() -> dict[str, tuple[int, str | None]]:
    return dict(registry.actions())


def action_rule(action: str) -> tuple[int, str | None]:
    """The (lowest rank, API-key scope) of an action; an unknown action is a programming error (KeyError).

    The core's CORE_ACTIONS and every app's are registered by their AppConfig.ready() (community/registry.py)."""
    return registry.actions()[action]


def can(actor: Actor, action: str) -> bool:
    lowest_role, scope = action_rule(action)
    if actor.api_key is not None:
        return scope is not None and actor.api_key.is_active and actor.api_key.allows(scope)
    if actor.member is not None and SILENCED_TAG in (actor.member.tags or ()) and action in registry.silenced_actions():
        return False
    if lowest_role == VISITOR:
        return actor.community.is_public or actor.is_member
    return actor.rank >= lowest_role


def can_assign_role(actor: Actor, target: Member, new_role: str) -> bool:
    """Admins manage roles below owner; only an owner hands out or takes away ownership."""
    if not can(actor, "members.change_role"):
        return False
    if actor.api_key is not None:
        return Role.OWNER not in (new_role, target.role)
    if Role.OWNER in (new_role, target.role):
        return actor.rank >= RANK[Role.OWNER]
    return True


# An API key acts like a manager on people: on members and moderators, never on managers, admins or owners.
API_KEY_RANK_OVER_PEOPLE = RANK[Role.MANAGER]


def _rank_over_people(actor: Actor) -> int:
    return API_KEY_RANK_OVER_PEOPLE if actor.api_key is not None else actor.rank


def can_act_on(actor: Actor, target: Member) -> bool:
    """Status and identity edits on another member: only on someone the actor strictly outranks.

    A role never acts on a member who outranks it, nor on an equal: a manager cannot ban the owner or another
    manager. Role changes have their own rule (can_assign_role)."""
    return _rank_over_people(actor) > RANK[Role(target.role)]


def can_merge(actor: Actor, target: Member, source: Member) -> bool:
    """Merging (or unmerging) two members: the actor outranks both, or is an owner/admin acting on its own rank.

    A merge moves a login and possibly a role, so a member who outranks the actor, or an owner/admin, is merged only
    by an owner (or admin); moving a login (`source` has a user) is admin-only; API keys never move logins."""
    if not can(actor, "members.merge"):
        return False
    rank = _rank_over_people(actor)
    for member in (target, source):
        member_rank = RANK[Role(member.role)]
        privileged = member.role in (Role.OWNER, Role.ADMIN)
        if not (member_rank < rank or (privileged and actor.api_key is None and rank >= member_rank)):
            return False
    moves_login = source.user_id is not None
    return not moves_login or (actor.api_key is None and actor.rank >= RANK[Role.ADMIN])
