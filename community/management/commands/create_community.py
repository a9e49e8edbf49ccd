"""`manage.py create_community <slug> --name … --owner <email> [--api-key]`: non-interactive onboarding.

With --api-key, the last line of output is an API key with every scope, alone (for scripts and tests).
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from community.errors import ServiceError
from community.policy import Actor
from community.registry import api_scopes
from community.selectors import member_for_user
from community.services.api_keys import api_key_create
from community.services.communities import community_create
from community.tenancy import community_scope


class Command(BaseCommand):
    help = "Create a community and its owner; optionally print an API key with every scope."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner", required=True, help="Owner's email; the user is created if missing.")
        parser.add_argument("--visibility", choices=["public", "private"], default="public")
        parser.add_argument("--api-key", action="store_true", help="Print an all-scopes API key on the last line.")

    @transaction.atomic
    def handle(self, *args, slug, name, owner, visibility, api_key, **options):
        user_model = get_user_model()
        user = user_model.objects.filter(email__iexact=owner).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(username=owner, email=owner, password=password)
            self.stdout.write(f"Created user {owner} with password: {password}")
        try:
            community = community_create(name=name, slug=slug, owner=user, visibility=visibility)
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Created community {community.name} at /c/{community.slug}/ owned by {owner}")
        if api_key:
            with community_scope(community.pk):
                member = member_for_user(community=community, user=user)
                actor = Actor(community=community, user_id=user.pk, member=member)
                _, raw_key = api_key_create(
                    community=community, actor=actor, name="created by command", scopes=list(api_scopes())
                )
            self.stdout.write(raw_key)
