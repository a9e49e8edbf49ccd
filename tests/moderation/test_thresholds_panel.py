"""The moderation thresholds on the community settings page: shown with their values, saved by admins, validated,
and saved without dropping the other moderation settings stored beside them."""

from community.models import Community, Role
from tests.factories import add_member, make_user

URL = "/c/alpha/manage/moderation/thresholds/"
VALUES = {"spam_flag": "0.4", "spam_hold": "0.9", "toxicity_flag": "0.3", "toxicity_hold": "0.7", "flags_to_hide": "5"}


def _moderation_settings(world) -> dict:
    return Community.objects.get(pk=world.a.pk).settings.get("moderation", {})


def test_the_settings_page_shows_the_panel_with_the_current_values(client, world):
    client.force_login(world.alice)
    page = client.get("/c/alpha/manage/settings/").content.decode()
    assert 'id="moderation-thresholds"' in page and f'action="{URL}"' in page
    assert 'name="spam_hold"' in page and 'value="0.8"' in page and 'name="flags_to_hide"' in page


def test_an_admin_saves_thresholds_and_other_moderation_settings_survive(client, world):
    Community.objects.filter(pk=world.a.pk).update(settings={"moderation": {"kept": "yes"}, "theme": "dark"})
    client.force_login(world.alice)
    response = client.post(URL, VALUES, follow=True)
    assert "Moderation thresholds saved" in response.content.decode()
    stored = Community.objects.get(pk=world.a.pk).settings
    assert stored["theme"] == "dark"
    assert stored["moderation"] == {
        "kept": "yes", "spam_flag": 0.4, "spam_hold": 0.9, "toxicity_flag": 0.3, "toxicity_hold": 0.7, "flags_to_hide": 5,
    }  # fmt: skip


def test_a_flag_level_above_its_hold_level_is_refused_with_a_message(client, world):
    client.force_login(world.alice)
    response = client.post(URL, {**VALUES, "spam_flag": "0.95"}, follow=True)
    assert "spam_flag must not be above spam_hold" in response.content.decode()
    response = client.post(URL, {**VALUES, "flags_to_hide": "0"}, follow=True)
    assert "Flags that hide a post" in response.content.decode()
    assert _moderation_settings(world) == {}


def test_moderators_and_managers_cannot_change_thresholds(client, world):
    for role in (Role.MODERATOR, Role.MANAGER):
        user = make_user(f"{role}@example.com")
        add_member(world.a, user, role=role)
        client.force_login(user)
        assert client.post(URL, VALUES).status_code == 403
    assert _moderation_settings(world) == {}
