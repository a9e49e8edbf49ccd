"""`seed_demo` adds identities, an organization and activities, and running it twice changes nothing."""

from django.core.management import call_command

from community.models import Activity, Community, Identity, Member
from community.tenancy import community_scope


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    community = Community.objects.get(slug="demo")
    with community_scope(community.pk):
        assert Activity.objects.for_community(community).count() == 300
        assert Identity.objects.for_community(community).values("channel").distinct().count() == 3
        assert Member.objects.for_community(community).filter(organization__isnull=False).count() == 3
        # every identity landed on an existing demo member (matched by email), none created
        assert Member.objects.for_community(community).count() == 13
