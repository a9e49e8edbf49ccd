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


def busy_items(*, end, days: int, members: int = 24, seed: int = 7, prefix: str = "busy") -> list[dict]:
    """A deterministic, busier history (threads, replies, tags, sentiment) ending on UTC date `end`, for the
    browser test's screenshots and the query-count test's larger history. Its numbers are not checked by hand."""
    import random
    from datetime import timedelta

    rng = random.Random(seed)
    channels = ["forum", "github", "discord", "slack"]
    tags = ["billing", "api", "onboarding", "bug", "feature"]
    result, threads = [], []
    for offset in range(days):
        day = datetime(end.year, end.month, end.day, 9, tzinfo=UTC) - timedelta(days=days - 1 - offset)
        # More people join over time; everyone has a favourite channel.
        present = max(3, members * (offset + 1) // days)
        for n in range(rng.randint(present // 2, present + 2)):
            who = rng.randrange(present)
            channel = channels[who % len(channels)]
            at = day + timedelta(minutes=rng.randrange(10 * 60))
            item = {
                "source": channel, "external_id": f"{prefix}-{offset}-{n}", "occurred_at": at.isoformat(),
                "identity": {"channel": channel, "external_id": f"{prefix}{who}", "email": f"{prefix}{who}@example.net",
                             "name": f"Member {who}"},
                "body": "thanks, that works" if rng.random() < 0.7 else "this is broken again",
                "sentiment": {"score": round(rng.uniform(-0.6, 0.9), 2)},
            }  # fmt: skip
            same_channel = [t for t in threads[-30:] if t[0] == channel]
            if same_channel and rng.random() < 0.6:
                item.update(kind="comment", parent_external_id=rng.choice(same_channel)[1])
            else:
                item.update(kind="post", title=f"Question {offset}-{n} about {rng.choice(tags)}",
                            extra={"tags": rng.sample(tags, 2)})  # fmt: skip
                threads.append((channel, item["external_id"]))
            result.append(item)
    return result


def ingest_items(community, items_) -> list[int]:
    with community_scope(community.pk):
        results = activity_ingest(community=community, items=items_)
    assert all(r["status"] in ("created", "existing") for r in results), results[:3]
    return [r["id"] for r in results]
