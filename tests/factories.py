"""Test data in one place: users, communities, members and API keys, always created inside a scope."""

import itertools
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from community.models import ApiKey, Community, Member, Role
from community.policy import Actor
from community.registry import api_scopes
from community.services.api_keys import api_key_create
from community.services.communities import community_create
from community.tenancy import community_scope

_seq = itertools.count(1)
PASSWORD = "correct horse battery staple"


def make_user(email: str | None = None, **extra):
    email = email or f"user{next(_seq)}@example.com"
    return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD, **extra)


def make_community(owner, slug: str | None = None, **extra) -> Community:
    slug = slug or f"community-{next(_seq)}"
    return community_create(name=slug.replace("-", " ").title(), slug=slug, owner=owner, **extra)


def add_member(community: Community, user=None, role: str = Role.MEMBER, **extra) -> Member:
    with community_scope(community.pk):
        return Member.objects.create(
            community=community,
            user=user,
            role=role,
            display_name=extra.pop("display_name", user.email.split("@")[0] if user else f"guest{next(_seq)}"),
            email=extra.pop("email", user.email if user else ""),
            **extra,
        )


def owner_of(community: Community) -> Member:
    with community_scope(community.pk):
        return Member.objects.for_community(community).filter(role=Role.OWNER).select_related("user").first()


def make_api_key(community: Community, scopes=None) -> tuple[ApiKey, str]:
    owner = owner_of(community)
    with community_scope(community.pk):
        return api_key_create(
            community=community,
            actor=Actor(community=community, user_id=owner.user_id, member=owner),
            name="test key",
            scopes=list(api_scopes() if scopes is None else scopes),
        )


@dataclass
class World:
    alice: object
    bob: object
    charlie: object
    a: Community
    b: Community
    bob_member: Member
    a_key: str
    b_key: str


def make_world() -> World:
    alice = make_user("alice@example.com")
    bob = make_user("bob@example.com")
    charlie = make_user("charlie@example.com")
    a = make_community(alice, slug="alpha")
    b = make_community(charlie, slug="bravo")
    bob_member = add_member(a, bob)
    add_member(b, None, display_name="Bravo Guest")
    _, a_key = make_api_key(a)
    _, b_key = make_api_key(b)
    return World(alice, bob, charlie, a, b, bob_member, a_key, b_key)
