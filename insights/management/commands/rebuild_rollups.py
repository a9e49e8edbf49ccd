"""Recompute the insights rollups of any range of local days, for one community or all of them."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from community.models import Community
from community.tenancy import community_scope
from insights.services.rollups import rollups_rebuild
from insights.services.settings import EPOCH, LAST_DAY


class Command(BaseCommand):
    help = "Rebuild insights rollups: --community <slug> (default: every community) --start/--end YYYY-MM-DD."

    def add_arguments(self, parser):
        parser.add_argument("--community", help="A community slug; every community when left out.")
        parser.add_argument("--start", type=date.fromisoformat, default=EPOCH, help="Default: the whole history.")
        parser.add_argument("--end", type=date.fromisoformat, default=LAST_DAY)

    def handle(self, *args, community, start, end, **options):
        communities = Community.objects.all().order_by("pk")  # not a tenant table: no scope needed to list them
        if community:
            communities = communities.filter(slug=community)
        found = list(communities)
        if community and not found:
            raise CommandError(f"No community {community!r}.")
        for each in found:
            # One transaction per community, in its own RLS scope: the rebuild writes only that community's rows.
            with transaction.atomic(), community_scope(each.pk):
                written = rollups_rebuild(community=each, start=start, end=end)
            self.stdout.write(f"{each.slug}: {written:,} member-days for {start}..{end}")
