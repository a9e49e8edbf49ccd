"""Fill a database with realistic, skewed Hearth data: communities, members, identities, activities, forum.

Skew everywhere: community sizes follow a power law (a few large, many small), so do activities per member,
replies per topic and authors per post; activity comes in bursts over months of history, on several channels,
in many languages with emoji. Row counts are exact (the smoke test holds them), the output is a function
of the seed, and writes go through `bench.datagen.writer` (unnest in the tenant scope, or COPY via the bypass).
"""

import bisect
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import connections, transaction

from community.models import Community
from community.tenancy import community_scope

from .text import DOMAINS, EMOJI, Texts
from .writer import Writer, reserve_ids

SLUG_PREFIX = "bench-"
HISTORY = timedelta(days=180)
ANCHOR = datetime(2026, 11, 1, tzinfo=UTC)  # "now" of the generated history: same seed, same rows

CHANNEL_KINDS = {
    "github": ["issue", "pull_request", "comment", "comment", "star", "review", "fork"],
    "discord": ["message", "message", "message", "reaction"],
    "slack": ["message", "message", "reaction"],
    "forum": ["post", "reply", "reply", "reaction", "accepted_answer"],
    "twitter": ["comment", "reaction"],
    "meetup": ["event_rsvp", "event_attendance"],
}
CHANNELS = list(CHANNEL_KINDS)
CHANNEL_WEIGHTS = [30, 30, 15, 15, 7, 3]
TITLED = {"issue", "pull_request", "post", "event_rsvp"}
TOPIC_KINDS = ["discussion"] * 12 + ["question"] * 6 + ["announcement", "article"]
TAGS = ["help", "bug", "feature", "i18n", "api", "showcase", "meta", "release"]
SPACE_NAMES = ["General", "Help & Support", "Ideas 💡", "Announcements", "Show and tell", "Español", "日本語",
               "Dev", "Off-topic ☕", "Events"]  # fmt: skip


@dataclass
class Sizes:
    communities: int
    members: int
    activities: int
    topics: int
    replies: int


def allocate(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split `total` by weights (largest remainder), each part at least `minimum`; the parts sum to `total`."""
    n = len(weights)
    if n == 0:
        return []
    base = min(minimum, total // n)
    rest = total - base * n
    scale = sum(weights) or 1.0
    shares = [rest * w / scale for w in weights]
    parts = [int(s) for s in shares]
    leftover = rest - sum(parts)
    for i in sorted(range(n), key=lambda i: shares[i] - parts[i], reverse=True)[:leftover]:
        parts[i] += 1
    return [base + p for p in parts]


def zipf(n: int, exponent: float) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(n)]


class Picker:
    """Draw items with power-law weights over a shuffled order (the busiest member is not the oldest)."""

    def __init__(self, items: list, rng: random.Random, exponent: float = 1.1):
        self.items = list(items)
        rng.shuffle(self.items)
        self.cum = list(itertools.accumulate(zipf(len(self.items), exponent)))
        self.rng = rng

    def pick(self):
        x = self.rng.random() * self.cum[-1]
        return self.items[bisect.bisect_left(self.cum, x)]


class Generator:
    def __init__(self, sizes: Sizes, seed: int = 1, method: str = "unnest", log: Callable[[str], None] = print):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.texts = Texts(self.rng)
        self.writer = Writer(method, log)
        self.log = log
        self._html_pool: list[tuple[str, str]] | None = None
        self.seed = seed

    # ------------------------------------------------------------------ helpers

    def _moment(self, bursts: list[datetime]) -> datetime:
        """A moment in the history: a quarter of the traffic comes in bursts (a release, an outage, a meetup)."""
        if bursts and self.rng.random() < 0.25:
            moment = self.rng.choice(bursts) + timedelta(hours=self.rng.gauss(0, 4))
        else:
            moment = ANCHOR - HISTORY * self.rng.random() ** 0.8  # more recent activity than old
        return min(moment, ANCHOR)

    def html_pool(self) -> list[tuple[str, str]]:
        """Markdown bodies rendered once with the forum's renderer (rendering every row would dominate)."""
        if self._html_pool is None:
            from discussions.markdown import render

            self._html_pool = []
            for _ in range(400):
                body = self.texts.markdown_body()
                self._html_pool.append((body, render(body)))
        return self._html_pool

    # ------------------------------------------------------------------ run

    def run(self, analyze: bool = True) -> dict[str, int]:
        s = self.sizes
        if Community.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise RuntimeError("this database already holds generated communities; generate into an empty one")
        started = time.perf_counter()
        weights = zipf(s.communities, 1.3)
        members = allocate(s.members, weights, minimum=min(3, s.members // max(s.communities, 1)))
        activities = allocate(s.activities, weights)
        topics = allocate(s.topics, weights)
        replies = allocate(s.replies, [t for t in topics] if s.topics else weights)
        if s.replies and not s.topics:
            raise ValueError("replies need topics")
        communities = self._communities(s.communities)
        for index, community in enumerate(communities):
            with transaction.atomic(), community_scope(community.pk):
                self._community(community, index, members[index], activities[index], topics[index], replies[index])
            self.log(
                f"community {index + 1}/{len(communities)} {community.slug}: {members[index]:,} members, "
                f"{activities[index]:,} activities, {topics[index]:,} topics, {replies[index]:,} replies "
                f"({time.perf_counter() - started:.1f}s)"
            )
        if analyze:
            self.analyze()
        total = sum(self.writer.rows.values())
        elapsed = time.perf_counter() - started
        self.log(self.writer.summary())
        self.log(f"{total:,} rows in {elapsed:.1f}s: {total / elapsed:,.0f} rows/s overall ({self.writer.method})")
        return dict(self.writer.rows)

    def analyze(self) -> None:
        """Fresh planner statistics; only the owner may ANALYZE, so this uses the owner alias when configured."""
        if "owner" not in connections.databases:
            return
        with connections["owner"].cursor() as cursor:
            for table in ("community_member", "community_identity", "community_activity", "discussions_topic",
                          "discussions_reply", "discussions_reaction", "discussions_space"):  # fmt: skip
                cursor.execute(f'ANALYZE "{table}"')

    def _communities(self, count: int) -> list[Community]:
        user_model = get_user_model()
        now = ANCHOR
        users = user_model.objects.bulk_create(
            [
                user_model(
                    username=f"{SLUG_PREFIX}owner-{i}-{self.seed}",
                    email=f"owner{i}@bench.example",
                    password="!",  # noqa: S106 (an unusable password: these owners never sign in)
                    date_joined=now,
                )
                for i in range(count)
            ]
        )
        communities = Community.objects.bulk_create(
            [
                Community(
                    name=f"Bench {i} · {self.texts.title()[:60]}",
                    slug=f"{SLUG_PREFIX}{i}",
                    description=self.texts.body(),
                    visibility="public",
                )
                for i in range(count)
            ]
        )
        for community, user in zip(communities, users, strict=True):
            community.owner_user = user
        self.writer.rows["community_community"] = count  # through the ORM: a handful of rows
        return communities

    def _community(self, community, index: int, n_members: int, n_activities: int, n_topics: int, n_replies: int):
        rng = self.rng
        bursts = [self._moment([]) for _ in range(8)]
        member_ids = self._members(community, n_members)
        channels = self._identities(community, member_ids)
        self._activities(community, member_ids, channels, n_activities, bursts)
        if n_topics:
            spaces = self._spaces(community, rng.randint(3, min(8, len(SPACE_NAMES))))
            self._forum(community, member_ids, spaces, n_topics, n_replies, bursts)

    # ------------------------------------------------------------------ tables

    def _members(self, community, count: int) -> list[int]:
        rng, texts = self.rng, self.texts
        ids = reserve_ids("community_member", count)
        cols: dict[str, list] = {k: [] for k in ("id", "community_id", "user_id", "role", "status", "display_name",
                                                 "handle", "email", "avatar_url", "bio", "joined_at", "location",
                                                 "emails", "tags", "custom_fields", "activity_count")}  # fmt: skip
        for i, member_id in enumerate(ids):
            name = texts.name()
            handle = f"{name.split()[0].lower()}{member_id}"[:80]
            role = "owner" if i == 0 else rng.choices(["admin", "moderator", "member"], [1, 3, 200])[0]
            status = "active" if i == 0 else rng.choices(["active", "left", "pending", "suspended"], [95, 3, 1, 1])[0]
            cols["id"].append(member_id)
            cols["community_id"].append(community.pk)
            cols["user_id"].append(community.owner_user.pk if i == 0 and hasattr(community, "owner_user") else None)
            cols["role"].append(role)
            cols["status"].append(status)
            cols["display_name"].append(name)
            cols["handle"].append(handle)
            cols["email"].append(f"{handle}@{rng.choice(DOMAINS)}" if rng.random() < 0.7 else "")
            cols["avatar_url"].append("")
            cols["bio"].append(texts.body((1, 1)) if rng.random() < 0.3 else "")
            cols["joined_at"].append(ANCHOR - HISTORY * 2 * rng.random())
            cols["location"].append(rng.choice(["", "", "Lisboa", "東京", "Berlin", "São Paulo", "Lagos", "Kyiv"]))
            cols["emails"].append([])
            cols["tags"].append(rng.sample(TAGS, rng.randint(1, 2)) if rng.random() < 0.1 else [])
            cols["custom_fields"].append("{}")
            cols["activity_count"].append(0)
        types = {"id": "bigint", "community_id": "bigint", "user_id": "integer", "joined_at": "timestamptz",
                 "emails": "text[]", "tags": "text[]", "custom_fields": "jsonb", "activity_count": "integer"}  # fmt: skip
        self.writer.write("community_member", [(k, types.get(k, "text")) for k in cols], list(cols.values()))
        return ids

    def _identities(self, community, member_ids: list[int]) -> dict[int, list[str]]:
        rng = self.rng
        channels_of: dict[int, list[str]] = {}
        cols: dict[str, list] = {k: [] for k in ("community_id", "member_id", "channel", "external_id", "handle",
                                                 "name", "email", "email_verified", "url", "profile",
                                                 "created_at")}  # fmt: skip
        for member_id in member_ids:
            chosen = sorted(set(rng.choices(CHANNELS, CHANNEL_WEIGHTS, k=rng.randint(1, 3))), key=CHANNELS.index)
            channels_of[member_id] = chosen
            for channel in chosen:
                cols["community_id"].append(community.pk)
                cols["member_id"].append(member_id)
                cols["channel"].append(channel)
                cols["external_id"].append(f"{channel}-{member_id}")
                cols["handle"].append(f"u{member_id}")
                cols["name"].append("")
                cols["email"].append("")
                cols["email_verified"].append(False)
                cols["url"].append(f"https://{channel}.example.com/u{member_id}")
                cols["profile"].append("{}")
                cols["created_at"].append(ANCHOR - HISTORY * rng.random())
        types = {"community_id": "bigint", "member_id": "bigint", "email_verified": "boolean", "profile": "jsonb",
                 "created_at": "timestamptz"}  # fmt: skip
        self.writer.write("community_identity", [(k, types.get(k, "text")) for k in cols], list(cols.values()))
        return channels_of

    def activity_rows(self, community, member_ids, channels_of, count: int, bursts) -> tuple[list, list]:
        """Columnar activity rows (also used by the ingest bench for its COPY baseline)."""
        rng, texts = self.rng, self.texts
        picker = Picker(member_ids, rng, 1.1)
        ids = reserve_ids("community_activity", count)
        names = ["id", "community_id", "member_id", "kind", "channel", "source", "external_id", "occurred_at",
                 "title", "body", "url", "parent_external_id", "sentiment", "sentiment_label", "extra",
                 "created_at"]  # fmt: skip
        cols: list[list] = [[] for _ in names]
        for activity_id in ids:
            member_id = picker.pick()
            channel = rng.choice(channels_of[member_id]) if channels_of else rng.choice(CHANNELS)
            kind = rng.choice(CHANNEL_KINDS[channel])
            occurred = self._moment(bursts)
            sentiment = None
            if kind not in ("star", "fork", "reaction") and rng.random() < 0.6:
                sentiment = max(-1.0, min(1.0, rng.gauss(0.15, 0.4)))
            label = "" if sentiment is None else ("positive" if sentiment > 0.05 else
                                                 "negative" if sentiment < -0.05 else "neutral")  # fmt: skip
            row = (
                activity_id, community.pk, member_id, kind, channel, channel, f"{channel}-{activity_id}", occurred,
                texts.title() if kind in TITLED else "",
                "" if kind in ("star", "fork") else texts.body(),
                f"https://{channel}.example.com/{community.slug}/{activity_id}" if rng.random() < 0.8 else "",
                "", sentiment, label, "{}", occurred + timedelta(seconds=rng.randint(1, 600)),
            )  # fmt: skip
            for column, value in zip(cols, row, strict=True):
                column.append(value)
        types = {"id": "bigint", "community_id": "bigint", "member_id": "bigint", "occurred_at": "timestamptz",
                 "sentiment": "float8", "extra": "jsonb", "created_at": "timestamptz"}  # fmt: skip
        return [(n, types.get(n, "text")) for n in names], cols

    def _activities(self, community, member_ids, channels_of, count: int, bursts) -> None:
        if not count:
            return
        columns, data = self.activity_rows(community, member_ids, channels_of, count, bursts)
        self.writer.write("community_activity", columns, data)
        member_stats_add(community.pk, data[2], data[7])

    def add_activities(self, community, count: int) -> None:
        """Grow one community's stream by `count` activities (the dashboard bench: same community, 10x data)."""
        from community.models import Identity, Member

        member_ids = list(Member.objects.for_community(community).values_list("pk", flat=True))
        channels_of: dict[int, list[str]] = {}
        for member_id, channel in Identity.objects.for_community(community).values_list("member_id", "channel"):
            channels_of.setdefault(member_id, []).append(channel)
        for member_id in member_ids:
            channels_of.setdefault(member_id, ["forum"])
        bursts = [self._moment([]) for _ in range(8)]
        self._activities(community, member_ids, channels_of, count, bursts)

    def standalone_community(self, slug: str, members: int) -> Community:
        """One more community with an owner who can sign in (force_login) and `members` members with identities.

        The same seed gives the same members: the dashboard bench builds two twins that differ only in activity.
        """
        user_model = get_user_model()
        owner = user_model.objects.create(username=f"{slug}-owner", email=f"{slug}@bench.example", password="!")  # noqa: S106
        community = Community.objects.create(name=f"Bench {slug}", slug=slug, visibility="public")
        community.owner_user = owner
        with transaction.atomic(), community_scope(community.pk):
            self.add_members(community, members)
        return community

    def add_members(self, community, count: int) -> list[int]:
        """Members with identities for an existing community (a scratch community of the write-path bench)."""
        member_ids = self._members(community, count)
        self._identities(community, member_ids)
        return member_ids

    def _spaces(self, community, count: int) -> list[int]:
        ids = reserve_ids("discussions_space", count)
        names = self.rng.sample(SPACE_NAMES, count)
        cols = [
            ids, [community.pk] * count, names, [f"space-{i}" for i in range(count)],
            [self.texts.body((1, 1)) for _ in ids], ["#c2410c"] * count, [self.rng.choice(EMOJI) for _ in ids],
            list(range(count)), ["public"] * count, ["members"] * count, ["members"] * count, [ANCHOR - HISTORY] * count,
        ]  # fmt: skip
        columns = [("id", "bigint"), ("community_id", "bigint"), ("name", "text"), ("slug", "text"),
                   ("description", "text"), ("colour", "text"), ("icon", "text"), ("position", "integer"),
                   ("visibility", "text"), ("start_policy", "text"), ("reply_policy", "text"),
                   ("created_at", "timestamptz")]  # fmt: skip
        self.writer.write("discussions_space", columns, cols)
        return ids

    def _forum(self, community, member_ids, spaces, n_topics: int, n_replies: int, bursts) -> None:
        rng, pool = self.rng, self.html_pool()
        authors = Picker(member_ids, rng, 1.2)
        space_picker = Picker(spaces, rng, 0.8)
        topic_ids = reserve_ids("discussions_topic", n_topics)
        reply_ids = reserve_ids("discussions_reply", n_replies)
        # Replies per topic: a power law (a few threads with hundreds of replies, most with a handful).
        per_topic = allocate(n_replies, zipf(n_topics, 1.0))
        rng.shuffle(per_topic)
        per_topic.sort(reverse=True)  # the busiest thread is the first topic of the community (easy to find)
        t_cols: list[list] = [[] for _ in range(15)]
        r_cols: list[list] = [[] for _ in range(9)]
        reply_iter = iter(reply_ids)
        for t_index, (topic_id, count) in enumerate(zip(topic_ids, per_topic, strict=True)):
            created = self._moment(bursts) - timedelta(days=3)
            if t_index == 0:
                created = ANCHOR - HISTORY
            body, html = rng.choice(pool)
            span = (ANCHOR - created).total_seconds()
            offsets = sorted(rng.random() ** 2 * span for _ in range(count))  # replies cluster early in a thread
            previous = None
            last = created
            for position, offset in enumerate(offsets, start=1):
                reply_id = next(reply_iter)
                reply_body, reply_html = rng.choice(pool)
                last = created + timedelta(seconds=offset)
                row = (reply_id, community.pk, topic_id, authors.pick(), position, reply_body, reply_html, last,
                       previous if previous and rng.random() < 0.2 else None)  # fmt: skip
                for column, value in zip(r_cols, row, strict=True):
                    column.append(value)
                previous = reply_id
            kind = rng.choice(TOPIC_KINDS)
            row = (
                topic_id, community.pk, space_picker.pick(), authors.pick(), kind, self.texts.title(), body, html,
                rng.sample(TAGS, rng.randint(0, 2)), "published",
                "global" if t_index == 1 else ("space" if rng.random() < 0.01 else ""),
                count, created, last, False,
            )  # fmt: skip
            for column, value in zip(t_cols, row, strict=True):
                column.append(value)
        t_columns = [("id", "bigint"), ("community_id", "bigint"), ("space_id", "bigint"), ("author_id", "bigint"),
                     ("kind", "text"), ("title", "text"), ("body", "text"), ("body_html", "text"), ("tags", "text[]"),
                     ("status", "text"), ("pin", "text"), ("reply_count", "integer"), ("created_at", "timestamptz"),
                     ("last_posted_at", "timestamptz"), ("locked", "boolean")]  # fmt: skip
        t_cols.append([False] * n_topics)
        self.writer.write("discussions_topic", [*t_columns, ("archived", "boolean")], t_cols)
        r_columns = [("id", "bigint"), ("community_id", "bigint"), ("topic_id", "bigint"), ("author_id", "bigint"),
                     ("position", "integer"), ("body", "text"), ("body_html", "text"), ("created_at", "timestamptz"),
                     ("reply_to_id", "bigint")]  # fmt: skip
        self.writer.write("discussions_reply", r_columns, r_cols)
        self._reactions(community, member_ids, topic_ids, r_cols, n_replies // 4)

    def _reactions(self, community, member_ids, topic_ids, r_cols, count: int) -> None:
        rng = self.rng
        seen: set = set()
        cols: list[list] = [[] for _ in range(6)]
        reply_ids, reply_topics = r_cols[0], r_cols[2]
        for _ in range(count):
            if reply_ids and rng.random() < 0.8:
                i = rng.randrange(len(reply_ids))
                topic_id, reply_id = reply_topics[i], reply_ids[i]
            else:
                topic_id, reply_id = rng.choice(topic_ids), None
            member_id, emoji = rng.choice(member_ids), rng.choice(["👍", "❤️", "🎉", "😄", "🤔", "👀"])
            if (topic_id, reply_id, member_id, emoji) in seen:
                continue
            seen.add((topic_id, reply_id, member_id, emoji))
            for column, value in zip(cols, (community.pk, topic_id, reply_id, member_id, emoji, ANCHOR), strict=True):
                column.append(value)
        columns = [("community_id", "bigint"), ("topic_id", "bigint"), ("reply_id", "bigint"),
                   ("member_id", "bigint"), ("emoji", "text"), ("created_at", "timestamptz")]  # fmt: skip
        self.writer.write("discussions_reaction", columns, cols)


def member_stats_add(community_id: int, member_ids: list[int], moments: list[datetime]) -> None:
    """Add a batch to its members' activity counts, first seen and last active (one UPDATE from arrays).

    From the rows just written, not from the table: a GROUP BY over the table would cost O(history) per call,
    and on a community too new for planner statistics Postgres picks a nested loop over the aggregate.
    """
    stats: dict[int, list] = {}
    for member_id, moment in zip(member_ids, moments, strict=True):
        entry = stats.get(member_id)
        if entry is None:
            stats[member_id] = [1, moment, moment]
        else:
            entry[0] += 1
            entry[1] = min(entry[1], moment)
            entry[2] = max(entry[2], moment)
    if not stats:
        return
    ids = list(stats)
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "UPDATE community_member AS m SET activity_count = m.activity_count + v.n, "
            "first_seen_at = LEAST(COALESCE(m.first_seen_at, v.first), v.first), "
            "last_active_at = GREATEST(m.last_active_at, v.last) "
            "FROM unnest(%s::bigint[], %s::integer[], %s::timestamptz[], %s::timestamptz[]) AS v(id, n, first, last) "
            "WHERE m.id = v.id AND m.community_id = %s",
            [ids, [stats[i][0] for i in ids], [stats[i][1] for i in ids], [stats[i][2] for i in ids], community_id],
        )
