"""Custom domains: validated, never the platform's own, and served only after a DNS TXT challenge is met."""

import dns.rdata
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import pytest
from django.test import Client

from community.errors import ServiceError
from community.services.domains import domain_normalize
from community.tenancy import community_scope
from tests.factories import add_member

PLATFORM = "hearth.example.com"


@pytest.fixture(autouse=True)
def _platform_hosts(settings):
    settings.HEARTH_PLATFORM_HOSTS = [PLATFORM]
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def dns_txt(monkeypatch):
    """The TXT records the 'internet' holds (DNS is a third-party service this machine cannot reach)."""
    records: dict[str, list[str]] = {}

    def resolve(name, rdtype, lifetime=None):
        assert rdtype == "TXT"
        if name not in records:
            raise dns.resolver.NXDOMAIN()
        return [dns.rdata.from_text(dns.rdataclass.IN, dns.rdatatype.TXT, f'"{value}"') for value in records[name]]

    monkeypatch.setattr(dns.resolver, "resolve", resolve)
    return records


def _auth(key):
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _patch_domain(client, key, domain):
    return client.patch("/api/v1/community/", {"domain": domain}, content_type="application/json", **_auth(key))


@pytest.mark.parametrize(
    "value, stored",
    [
        ("Forum.Example.COM.", "forum.example.com"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("a-b.c.io", "a-b.c.io"),
    ],
)
def test_domains_are_stored_as_lower_case_idna_host_names(value, stored):
    assert domain_normalize(value) == stored


@pytest.mark.parametrize(
    "value",
    [
        "HTTP://weird domain/<x>",
        "https://forum.example.com",
        "forum.example.com/path",
        "forum.example.com:8443",
        "admin@forum.example.com",
        "127.0.0.1",
        "localhost",
        "intranet",
        "-bad.example.com",
        "forum..example.com",
        "x" * 64 + ".example.com",
        PLATFORM,  # the platform's own host: taking over / and every tenant's /hooks/
        "HEARTH.example.com",
        "evil." + PLATFORM,
    ],
)
def test_a_malformed_domain_or_the_platforms_own_is_refused(value):
    with pytest.raises(ServiceError):
        domain_normalize(value)


def test_the_api_refuses_the_platform_host_with_a_400_and_keeps_the_old_value(client, world):
    response = _patch_domain(client, world.a_key, PLATFORM)
    assert response.status_code == 400
    assert "domain" in response.json()["error"]["fields"]
    world.a.refresh_from_db()
    assert world.a.domain is None


def test_a_requested_domain_is_not_served_until_verified(client, world, dns_txt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = _patch_domain(client, world.a_key, "Forum.Alpha.Example").json()
    assert body["domain"] == "forum.alpha.example" and body["domain_verified"] is False
    challenge = body["domain_challenge"]
    assert challenge["type"] == "dns-txt" and challenge["name"] == "_hearth-challenge.forum.alpha.example"

    visitor = Client(HTTP_HOST="forum.alpha.example")
    assert "community" not in (visitor.get("/").context or {})  # not mapped: the platform's landing page

    refused = client.post("/api/v1/community/domain/verify/", **_auth(world.a_key))
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "domain_unverified"

    dns_txt[challenge["name"]] = ["some-other=record", challenge["value"]]
    with django_capture_on_commit_callbacks(execute=True):
        verified = client.post("/api/v1/community/domain/verify/", **_auth(world.a_key))
    assert verified.status_code == 200 and verified.json()["domain_verified"] is True
    assert visitor.get("/").context["community"] == world.a


def test_a_wrong_token_does_not_verify(client, world, dns_txt):
    challenge = _patch_domain(client, world.a_key, "forum.alpha.example").json()["domain_challenge"]
    dns_txt[challenge["name"]] = ["hearth-verify=someone-elses-token"]
    assert client.post("/api/v1/community/domain/verify/", **_auth(world.a_key)).status_code == 400


def test_changing_the_domain_starts_verification_over(client, world, dns_txt):
    first = _patch_domain(client, world.a_key, "old.alpha.example").json()["domain_challenge"]
    dns_txt[first["name"]] = [first["value"]]
    assert client.post("/api/v1/community/domain/verify/", **_auth(world.a_key)).json()["domain_verified"]
    second = _patch_domain(client, world.a_key, "new.alpha.example").json()
    assert second["domain_verified"] is False and second["domain_challenge"]["value"] != first["value"]


def test_a_domain_another_community_asked_for_is_a_conflict(client, world):
    assert _patch_domain(client, world.b_key, "forum.shared.example").status_code == 200
    response = _patch_domain(client, world.a_key, "forum.shared.example")
    assert response.status_code == 409


def test_global_routes_are_never_rewritten_on_a_custom_domain(client, world, dns_txt):
    challenge = _patch_domain(client, world.a_key, "forum.alpha.example").json()["domain_challenge"]
    dns_txt[challenge["name"]] = [challenge["value"]]
    client.post("/api/v1/community/domain/verify/", **_auth(world.a_key))
    visitor = Client(HTTP_HOST="forum.alpha.example")
    assert visitor.get("/").context["community"] == world.a
    # /communities/new/ is the platform's (a login redirect), not /c/alpha/communities/new/ (a 404).
    assert visitor.get("/communities/new/").status_code == 302
    # /hooks/<uuid>/ reaches the webhook view (405 for GET), not a rewritten /c/alpha/hooks/… (404).
    assert visitor.get("/hooks/00000000-0000-0000-0000-000000000000/").status_code in (404, 405)
    assert visitor.get("/hooks/00000000-0000-0000-0000-000000000000/").resolver_match.url_name == "channel_webhook"


def test_a_moderator_cannot_verify_a_domain(client, world):
    moderator = add_member(world.a, None, display_name="Mo")
    with community_scope(world.a.pk):
        moderator.role = "moderator"
        moderator.save(update_fields=["role"])
    world.a.domain, world.a.domain_token = "forum.alpha.example", "t"
    world.a.save()
    from community.policy import Actor
    from community.services.domains import domain_verify

    with pytest.raises(ServiceError) as refused:
        domain_verify(community=world.a, actor=Actor(community=world.a, user_id=None, member=moderator))
    assert refused.value.code == "permission_denied"


def test_the_settings_page_shows_the_challenge_and_verifies(client, world, dns_txt):
    client.force_login(world.alice)
    client.post(
        "/c/alpha/manage/settings/",
        {"name": "Alpha", "description": "", "visibility": "public", "domain": "forum.alpha.example"},
    )
    page = client.get("/c/alpha/manage/settings/").content.decode()
    world.a.refresh_from_db()
    assert "Waiting for verification" in page and f"hearth-verify={world.a.domain_token}" in page
    dns_txt["_hearth-challenge.forum.alpha.example"] = [f"hearth-verify={world.a.domain_token}"]
    response = client.post("/c/alpha/manage/settings/", {"action": "verify_domain"}, follow=True)
    assert "is verified" in response.content.decode()
    world.a.refresh_from_db()
    assert world.a.domain_active


def test_the_settings_form_shows_a_refused_domain_next_to_the_field(client, world):
    client.force_login(world.alice)
    response = client.post(
        "/c/alpha/manage/settings/",
        {"name": "Alpha", "description": "", "visibility": "public", "domain": "HTTP://weird domain/x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["domain"]
