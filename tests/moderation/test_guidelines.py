"""Guidelines: a default until written, a new version per change, acceptance recorded once per version."""

import pytest

from community.tenancy import community_scope
from moderation.models import GuidelinesAcceptance
from moderation.selectors import guidelines_accepted, guidelines_get

pytestmark = pytest.mark.django_db


def test_members_read_and_accept_and_a_new_version_asks_again(mod, client):
    m = mod
    client.force_login(m.carol.user)
    page = client.get(f"/c/{m.a.slug}/guidelines/")
    assert page.status_code == 200 and "Be kind" in page.content.decode()
    client.post(f"/c/{m.a.slug}/guidelines/")
    client.post(f"/c/{m.a.slug}/guidelines/")
    with community_scope(m.a.pk):
        assert GuidelinesAcceptance.objects.for_community(m.a).filter(member=m.carol).count() == 1
    client.force_login(m.carol.user)
    assert client.post(f"/c/{m.a.slug}/manage/moderation/guidelines/", {"text": "Be nice."}).status_code == 403
    client.force_login(m.alice.user)
    client.post(f"/c/{m.a.slug}/manage/moderation/guidelines/", {"text": "Be nice."})
    m.a.refresh_from_db()
    assert guidelines_get(m.a) == {"version": 1, "text": "Be nice."}
    with community_scope(m.a.pk):
        assert not guidelines_accepted(community=m.a, member=m.carol)
