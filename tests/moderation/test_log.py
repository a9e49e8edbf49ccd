"""The moderation log: every action appended, UPDATE and DELETE refused by the database, staff-only, CSV, filters."""

import csv
import io

import pytest
from django.db import DatabaseError, transaction
from rest_framework.test import APIClient

from community.tenancy import community_scope
from moderation.models import LogEntry
from moderation.services.flags import flag_create
from moderation.services.queue import queue_item_act
from moderation.services.sanctions import sanction_issue
from tests.discussions.conftest import actor_for

pytestmark = pytest.mark.django_db


def _history(m):
    with community_scope(m.a.pk):
        flag = flag_create(
            community=m.a, actor=actor_for(m.a, m.carol), subject_kind="topic", subject_id=m.topic.pk, reason="spam"
        )
        queue_item_act(community=m.a, actor=actor_for(m.a, m.mia), item=flag.item, action="hide", reason="=cmd|spam")
        sanction_issue(community=m.a, actor=actor_for(m.a, m.mia), member=m.bob, kind="warn", reason="No links")


def test_every_action_is_logged_with_before_and_after(mod):
    m = mod
    _history(m)
    with community_scope(m.a.pk):
        actions = list(LogEntry.objects.for_community(m.a).order_by("id").values_list("action", flat=True))
        warn = LogEntry.objects.for_community(m.a).get(action="sanction.warn")
    assert actions == ["queue.open", "flag.create", "queue.hide", "sanction.warn"]
    assert warn.target_member_id == m.bob.pk and warn.before["status"] == "active" and warn.reason == "No links"


@pytest.mark.parametrize("sql", ["UPDATE moderation_logentry SET reason = 'x'", "DELETE FROM moderation_logentry"])
def test_the_database_refuses_to_change_the_log(mod, sql):
    from django.db import connection

    m = mod
    _history(m)
    with community_scope(m.a.pk):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
        assert LogEntry.objects.for_community(m.a).count() == 4


def test_the_log_page_filters_and_exports_csv_for_staff_only(mod, client):
    m = mod
    _history(m)
    client.force_login(m.carol.user)
    assert client.get(f"/c/{m.a.slug}/manage/moderation/log/").status_code == 403
    client.force_login(m.mia.user)
    page = client.get(f"/c/{m.a.slug}/manage/moderation/log/?action=sanction.")
    assert page.status_code == 200 and "No links" in page.content.decode() and "queue.hide" not in page.content.decode()
    export = client.get(f"/c/{m.a.slug}/manage/moderation/log/?format=csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [r["action"] for r in rows] == ["sanction.warn", "queue.hide", "flag.create", "queue.open"]
    assert rows[1]["reason"] == "'=cmd|spam"  # a formula neutralised for spreadsheets


def test_the_log_api_filters_by_target_and_needs_the_read_scope(mod):
    m = mod
    _history(m)
    api = APIClient()
    api.force_authenticate(m.mia.user)
    response = api.get(f"/api/v1/c/{m.a.slug}/moderation/log/?action=sanction.warn&target_member_id={m.bob.pk}")
    assert response.status_code == 200
    assert [e["action"] for e in response.json()["results"]] == ["sanction.warn"]
    assert api.get(f"/api/v1/c/{m.a.slug}/moderation/log/?actor_member_id=x").status_code == 400
    from tests.factories import make_api_key

    _, key = make_api_key(m.a, scopes=["members:read"])
    assert APIClient().get("/api/v1/moderation/log/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 403
