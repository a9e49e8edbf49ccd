"""`seed_demo` adds identities, an organization, activities and a forum, and running it twice changes nothing."""

from django.core.management import call_command

from community.models import Activity, Community, Identity, Member
from community.tenancy import community_scope
from discussions.models import Topic


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    community = Community.objects.get(slug="demo")
    with community_scope(community.pk):
        assert Activity.objects.for_community(community).exclude(source="forum").count() == 300
        # the forum went through the real services: 4 topics, 2 replies, 1 reaction, 3 votes, 1 accepted answer
        assert Activity.objects.for_community(community).filter(source="forum").count() == 11
        assert Topic.objects.for_community(community).count() == 4
        assert Identity.objects.for_community(community).values("channel").distinct().count() == 3
        assert Member.objects.for_community(community).filter(organization__isnull=False).count() == 3
        # every identity landed on an existing demo member (matched by email), none created
        assert Member.objects.for_community(community).count() == 13
