"""A small hand-written data set for the metrics tests; every expected number in the tests is worked out by hand.

Community time zone America/New_York: EST (UTC-5) until 2026-03-08 07:00 UTC, EDT (UTC-4) after. Members: ann,
bob, cat (community), mod (a moderator: staff), botty (an identity GitHub calls `type: Bot`).

 #  who    UTC time            local (New York)      channel  kind     sentiment
 1  ann    2026-03-07 12:00    Mar 7 07:00 EST       github   comment   0.5
 2  ann    2026-03-08 04:30    Mar 7 23:30 EST       discord  message  -0.4  (UTC says Mar 8)
 3  bob    2026-03-08 05:30    Mar 8 00:30 EST       github   comment   0.2
 4  bob    2026-03-09 04:30    Mar 9 00:30 EDT       github   star      none  (fixed -5 would say Mar 8)
 5  mod    2026-03-08 15:00    Mar 8 11:00 EDT       github   comment  -0.9
 6  botty  2026-03-08 16:00    Mar 8 12:00 EDT       github   comment   0.9
 7  cat    2026-03-09 12:00    Mar 9 08:00 EDT       discord  message  -0.6
 8  cat    2026-03-06 12:00    Mar 6 07:00 EST       github   comment   0.1   (arrives late: LATE)
"""

from datetime import UTC, datetime

from community.models import Member, Role
from community.services.activities import activity_ingest
from community.tenancy import community_scope

TIMEZONE = "America/New_York"

PEOPLE = {
    "ann": {"channel": "github", "external_id": "ann"},
    "bob": {"channel": "github", "external_id": "bob"},
    "cat": {"channel": "github", "external_id": "cat"},
    "mod": {"channel": "github", "external_id": "mod"},
    "botty": {"channel": "github", "external_id": "botty", "profile": {"type": "Bot"}},
}

ROWS = [
    (1, "ann", datetime(2026, 3, 7, 12, 0), "github", "comment", 0.5),
    (2, "ann", datetime(2026, 3, 8, 4, 30), "discord", "message", -0.4),
    (3, "bob", datetime(2026, 3, 8, 5, 30), "github", "comment", 0.2),
    (4, "bob", datetime(2026, 3, 9, 4, 30), "github", "star", None),
    (5, "mod", datetime(2026, 3, 8, 15, 0), "github", "comment", -0.9),
    (6, "botty", datetime(2026, 3, 8, 16, 0), "github", "comment", 0.9),
    (7, "cat", datetime(2026, 3, 9, 12, 0), "discord", "message", -0.6),
]
LATE = [(8, "cat", datetime(2026, 3, 6, 12, 0), "github", "comment", 0.1)]


def items(rows) -> list[dict]:
    result = []
    for n, who, at, channel, kind, score in rows:
        item = {
            "source": channel, "external_id": f"a{n}", "kind": kind, "occurred_at": at.replace(tzinfo=UTC).isoformat(),
            # One person across channels: the discord identity carries the same email as the github one.
            "identity": {**PEOPLE[who], "channel": channel, "email": f"{who}@example.org"},
        }  # fmt: skip
        if score is not None:
            item["body"] = f"activity {n}"
            item["sentiment"] = {"score": score}
        result.append(item)
    return result


def ingest(community, rows) -> list[int]:
    with community_scope(community.pk):
        results = activity_ingest(community=community, items=items(rows))
    assert all(r["status"] in ("created", "existing") for r in results), results
    return [r["id"] for r in results]


def load(community, *, timezone: str = TIMEZONE) -> list[int]:
    """Store ROWS (not LATE), make mod a moderator, set the time zone; returns the activity ids."""
    community.settings = {**(community.settings or {}), "timezone": timezone}
    community.save(update_fields=["settings"])
    ids = ingest(community, ROWS)
    with community_scope(community.pk):
        Member.objects.for_community(community).filter(email="mod@example.org").update(role=Role.MODERATOR)
        assert Member.objects.for_community(community).filter(email__endswith="@example.org").count() == 5
    return ids


def member_ids(community) -> dict[str, int]:
    with community_scope(community.pk):
        rows = Member.objects.for_community(community).filter(email__endswith="@example.org").values_list("email", "pk")
        return {email.split("@")[0]: pk for email, pk in rows}
