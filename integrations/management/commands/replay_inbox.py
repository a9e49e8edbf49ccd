"""Replay stored inbox events (failed by default) through processing again; idempotent, so never duplicates."""

from django.core.management.base import BaseCommand, CommandError

from community.models import Community
from community.tenancy import community_scope
from integrations.models import InboxEvent, InboxStatus
from integrations.services.inbox import inbox_process


class Command(BaseCommand):
    help = "Process failed (or other) inbox events again, now, in this process."

    def add_arguments(self, parser):
        parser.add_argument("community", help="community slug")
        parser.add_argument("--connection", type=int, help="only this connection id")
        parser.add_argument("--status", default=InboxStatus.FAILED, choices=[s.value for s in InboxStatus])
        parser.add_argument("--event", type=int, action="append", help="only these event ids (repeatable)")
        parser.add_argument("--batch", type=int, default=200)

    def handle(self, *args, **options):
        community = Community.objects.filter(slug=options["community"]).first()
        if community is None:
            raise CommandError(f"No community {options['community']!r}.")
        with community_scope(community.pk):
            events = InboxEvent.objects.for_community(community).filter(status=options["status"])
            if options["connection"]:
                events = events.filter(connection_id=options["connection"])
            if options["event"]:
                events = events.filter(pk__in=options["event"])
            ids = list(events.order_by("pk").values_list("pk", flat=True))
            if options["status"] in (InboxStatus.SKIPPED, InboxStatus.PROCESSED):
                InboxEvent.objects.for_community(community).filter(pk__in=ids).update(status=InboxStatus.RECEIVED)
        totals: dict[str, int] = {}
        for start in range(0, len(ids), options["batch"]):
            with community_scope(community.pk):
                summary = inbox_process(community=community, event_ids=ids[start : start + options["batch"]])
            for key, value in summary.items():
                totals[key] = totals.get(key, 0) + value
        self.stdout.write(f"replayed {len(ids)} events: {totals}")
