"""Stored XSS through user URLs: javascript: is refused when saved and never rendered as a link."""

import pytest

from community.models import Member, Organization, Role
from community.policy import Actor
from community.services.communities import ServiceError
from community.services.organizations import organization_update
from community.templatetags.weburls import web_url
from community.tenancy import community_scope

HOSTILE = ["javascript:alert(document.cookie)", " JavaScript:alert(1)", "data:text/html,<script>1</script>", "//evil"]


@pytest.mark.parametrize("website", HOSTILE)
def test_dashboard_form_refuses_a_javascript_website(client, world, website):
    client.force_login(world.alice)
    client.post("/c/alpha/manage/organizations/", {"name": "Evil Corp", "domains": "", "website": website})
    with community_scope(world.a.pk):
        assert not Organization.objects.filter(community=world.a, name="Evil Corp").exists()


def test_dashboard_form_keeps_an_https_website(client, world):
    client.force_login(world.alice)
    client.post("/c/alpha/manage/organizations/", {"name": "Good Corp", "website": "https://good.example/"})
    with community_scope(world.a.pk):
        assert Organization.objects.get(community=world.a, name="Good Corp").website == "https://good.example/"


def test_update_refuses_a_javascript_website_and_nothing_changes(world):
    with community_scope(world.a.pk):
        organization = Organization.objects.create(community=world.a, name="Acme", website="https://acme.example/")
        owner = Member.objects.for_community(world.a).get(user=world.alice, role=Role.OWNER)
        actor = Actor(community=world.a, user_id=owner.user_id, member=owner)
        with pytest.raises(ServiceError):
            organization_update(
                community=world.a, actor=actor, organization=organization, website="javascript:alert(1)"
            )
        assert Organization.objects.get(pk=organization.pk).website == "https://acme.example/"


def test_a_row_stored_before_validation_is_not_rendered_as_a_link(client, world):
    with community_scope(world.a.pk):
        organization = Organization.objects.create(community=world.a, name="Old", website="javascript:alert(1)")
    client.force_login(world.alice)
    response = client.get(f"/c/alpha/manage/organizations/{organization.pk}/")
    assert response.status_code == 200
    assert b'href="javascript:' not in response.content


@pytest.mark.parametrize(
    ("value", "shown"), [*((v, "") for v in HOSTILE), ("http://ok.example/a", "http://ok.example/a")]
)
def test_web_url_filter_emits_only_http_links(value, shown):
    assert web_url(value) == shown
