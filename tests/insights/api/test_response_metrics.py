"""response_time and response_rate on a hand-written set of conversations (UTC community).

starter                          responses (parent = the starter)
c1 ann post t1    Mar 2 10:00    botty 10:05 (bot: ignored), mod 10:10 (staff, 600 s), bob 10:30 (community, 1,800 s)
c2 cat message m1 Mar 2 12:00    none
c3 bob issue i1   Mar 3 09:00    bob 09:10 (himself: ignored), ann 10:00 (community, 3,600 s, arrives late)
-- mod post t2    Mar 3 11:00    staff starts no conversation; ann replies 11:30
"""

from datetime import UTC, datetime

import pytest

from community.models import Member, Role
from community.services.activities import activity_ingest
from community.tenancy import community_scope
from insights.models import Conversation
from insights.services.conversations import conversations_update
from insights.services.rollups import rollups_rebuild

PEOPLE = {
    "ann": {"channel": "github", "external_id": "ann"},
    "bob": {"channel": "github", "external_id": "bob"},
    "cat": {"channel": "github", "external_id": "cat"},
    "mod": {"channel": "github", "external_id": "mod"},
    "botty": {"channel": "github", "external_id": "botty", "bot": True},
}
ROWS = [
    ("t1", "ann", "post", (2, 10, 0), ""),
    ("r1", "botty", "reply", (2, 10, 5), "t1"),
    ("r2", "mod", "reply", (2, 10, 10), "t1"),
    ("r3", "bob", "reply", (2, 10, 30), "t1"),
    ("m1", "cat", "message", (2, 12, 0), ""),
    ("i1", "bob", "issue", (3, 9, 0), ""),
    ("r4", "bob", "comment", (3, 9, 10), "i1"),
    ("t2", "mod", "post", (3, 11, 0), ""),
    ("r5", "ann", "reply", (3, 11, 30), "t2"),
]
LATE = [("r6", "ann", "comment", (3, 10, 0), "i1")]


def _ingest(community, rows):
    items = [
        {"source": "forum", "external_id": ext, "kind": kind, "parent_external_id": parent,
         "occurred_at": datetime(2026, 3, d, h, m, tzinfo=UTC).isoformat(), "identity": PEOPLE[who]}
        for ext, who, kind, (d, h, m), parent in rows
    ]  # fmt: skip
    with community_scope(community.pk):
        ids = [r["id"] for r in activity_ingest(community=community, items=items)]
        Member.objects.for_community(community).filter(identities__external_id="mod").update(role=Role.MODERATOR)
        conversations_update(community=community, activity_ids=ids)
    return ids


@pytest.fixture
def talks(world):
    _ingest(world.a, ROWS)
    return world


def _metric(client, world, name, query):
    response = client.get(f"/api/v1/metrics/{name}/?{query}", HTTP_AUTHORIZATION=f"Bearer {world.a_key}")
    assert response.status_code == 200, response.content
    body = response.json()
    return [p["value"] for p in body["series"]], body["total"]


RANGE = "start=2026-03-02&end=2026-03-03"


def test_first_response_is_the_earliest_of_another_non_bot_member(client, talks):
    assert _metric(client, talks, "response_time", RANGE) == ([600.0, None], 600.0)  # mod's, 10 minutes
    assert _metric(client, talks, "response_rate", RANGE) == ([0.5, 0.0], 0.333333)  # c1 of c1, c2; not c3
    assert _metric(client, talks, "response_time", RANGE + "&responder=community") == ([1800.0, None], 1800.0)
    assert _metric(client, talks, "response_time", RANGE + "&responder=staff") == ([600.0, None], 600.0)


def test_a_late_response_counts_for_the_day_its_conversation_started(client, talks):
    _ingest(talks.a, LATE)
    assert _metric(client, talks, "response_time", RANGE) == ([600.0, 3600.0], 2100.0)  # median of 600, 3600
    assert _metric(client, talks, "response_rate", RANGE) == ([0.5, 1.0], 0.666667)
    assert _metric(client, talks, "response_rate", RANGE + "&responder=staff") == ([0.5, 0.0], 0.333333)


def test_staff_start_no_conversations(talks):
    with community_scope(talks.a.pk):
        started = sorted(Conversation.objects.for_community(talks.a).values_list("external_id", flat=True))
    assert started == ["i1", "m1", "t1"]


def test_conversations_rebuilt_equal_incremental(talks):
    _ingest(talks.a, LATE + ROWS[:2])  # a late response and duplicates

    def rows():
        with community_scope(talks.a.pk):
            return sorted(Conversation.objects.for_community(talks.a).values_list(
                "activity_id", "day", "audience", "first_staff_response_at", "first_community_response_at"))  # fmt: skip

    incremental = rows()
    with community_scope(talks.a.pk):
        Conversation.objects.for_community(talks.a).delete()
        rollups_rebuild(community=talks.a, start=datetime(2026, 3, 1).date(), end=datetime(2026, 3, 31).date())
    assert rows() == incremental and len(incremental) == 3


def test_bad_responder_is_a_400(client, talks):
    response = client.get("/api/v1/metrics/response_time/?responder=bots", HTTP_AUTHORIZATION=f"Bearer {talks.a_key}")
    assert response.status_code == 400 and "responder" in response.json()["error"]["fields"]
