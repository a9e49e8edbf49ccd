"""`manage.py seed_demo`: an idempotent demo community for `make run` (owner demo@example.com)."""

import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from community import registry
from community.models import ActivityKind, Community, Member, Organization, Role
from community.services.activities import activity_ingest
from community.services.communities import community_create
from community.tenancy import community_scope

DEMO_EMAIL = "demo@example.com"
DEMO_SLUG = "demo"
PEOPLE = [
    ("Ada Lovelace", "ada", Role.ADMIN),
    ("Grace Hopper", "grace", Role.MANAGER),
    ("Linus Torvalds", "linus", Role.MODERATOR),
    ("Margaret Hamilton", "margaret", Role.MEMBER),
    ("Alan Turing", "alan", Role.MEMBER),
    ("Katherine Johnson", "katherine", Role.MEMBER),
    ("Dennis Ritchie", "dennis", Role.MEMBER),
    ("Barbara Liskov", "barbara", Role.MEMBER),
    ("Ken Thompson", "ken", Role.MEMBER),
    ("Radia Perlman", "radia", Role.MEMBER),
    ("Guido van Rossum", "guido", Role.MEMBER),
    ("Frances Allen", "frances", Role.MEMBER),
]


class Command(BaseCommand):
    help = "Create (or reuse) the demo community and print its login."

    @transaction.atomic
    def handle(self, *args, **options):
        password = os.environ.get("HEARTH_DEMO_PASSWORD", "hearth-demo-2026")
        user_model = get_user_model()
        owner, created = user_model.objects.get_or_create(
            email=DEMO_EMAIL, defaults={"username": DEMO_EMAIL, "first_name": "Demo", "last_name": "Owner"}
        )
        if created:
            owner.set_password(password)
            owner.save()
        EmailAddress.objects.update_or_create(
            user=owner, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
        )
        community = Community.objects.filter(slug=DEMO_SLUG).first()
        if community is None:
            community = community_create(
                name="Hearth Demo",
                slug=DEMO_SLUG,
                owner=owner,
                description="A demo community: a product's users, fans and contributors, in one place.",
            )
        with community_scope(community.pk):
            existing = set(Member.objects.for_community(community).values_list("handle", flat=True))
            Member.objects.bulk_create(
                [
                    Member(
                        community=community,
                        display_name=name,
                        handle=handle,
                        role=role,
                        email=f"{handle}@demo.example.com",
                    )
                    for name, handle, role in PEOPLE
                    if handle not in existing
                ]
            )
            seed_people_activity(community)
            by_handle = {m.handle: m for m in Member.objects.for_community(community).exclude(handle="")}
            by_handle["owner"] = Member.objects.for_community(community).get(user=owner)
            for seed in registry.demo_seeds():  # each app seeds its own part
                seed(community, by_handle)
        self.stdout.write(self.style.SUCCESS(f"Demo community: /c/{DEMO_SLUG}/"))
        self.stdout.write(f"Demo login: {DEMO_EMAIL} / {password}")


DEMO_CHANNELS = ("github", "discord", "forum")
DEMO_KINDS = {
    "github": [ActivityKind.ISSUE, ActivityKind.PULL_REQUEST, ActivityKind.COMMENT, ActivityKind.STAR],
    "discord": [ActivityKind.MESSAGE, ActivityKind.REACTION],
    "forum": [ActivityKind.POST, ActivityKind.REPLY, ActivityKind.IDEA],
}
DEMO_ACTIVITIES = 300


def seed_people_activity(community) -> None:
    """Identities on three channels, one organization and a few hundred activities; idempotent by external id."""
    from datetime import timedelta

    from django.utils import timezone

    organization, _ = Organization.objects.get_or_create(
        community=community, name="Analytical Engines Ltd", defaults={"website": "https://example.com"}
    )
    Member.objects.for_community(community).filter(handle__in=["ada", "alan", "grace"], organization=None).update(
        organization=organization
    )
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(days=90)
    items = []
    for n in range(DEMO_ACTIVITIES):
        _, handle, _ = PEOPLE[(n * 7) % len(PEOPLE)]
        channel = DEMO_CHANNELS[n % len(DEMO_CHANNELS)]
        kinds = DEMO_KINDS[channel]
        kind = kinds[n % len(kinds)]
        items.append(
            {
                "source": f"demo-{channel}",
                "external_id": f"demo-{n}",
                "kind": kind,
                "occurred_at": (start + timedelta(hours=7 * n)).isoformat(),
                "title": f"{kind.label} by {handle} #{n}",
                "body": "Seeded demo activity.",
                # The email is the member's own: ingest attaches each channel identity to the existing member.
                "identity": {
                    "channel": channel,
                    "external_id": f"{channel}-{handle}",
                    "handle": handle,
                    "email": f"{handle}@demo.example.com",
                },
            }
        )
    activity_ingest(community=community, items=items)
