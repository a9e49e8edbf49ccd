"""`manage.py seed_demo`: an idempotent demo community for `make run` (owner demo@example.com)."""

import os

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from community.models import Community, Member, Role
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
        self.stdout.write(self.style.SUCCESS(f"Demo community: /c/{DEMO_SLUG}/"))
        self.stdout.write(f"Demo login: {DEMO_EMAIL} / {password}")
