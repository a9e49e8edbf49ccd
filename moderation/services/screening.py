"""The machine's first pass on every new activity: score spam and toxicity, decide published / flagged / held by the
community's thresholds, write the moderation object. Set-based: one read of the rows and their authors, one query
for the author signals (near-duplicates, velocity), one vectorised scoring call, one UPDATE.

Where people take over: what the screen held or flagged opens queue items (`review.screened_to_queue`, held forum
posts hidden until reviewed); `activities_for_review` lists those activities (index `activity_moderation`), and
`screening_outcome` is the one rule that turns scores into a status.
"""

import json
from datetime import timedelta

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from community.errors import ServiceError
from community.models import Activity, Community, MemberStatus, Role
from community.policy import SILENCED_TAG, Actor
from community.services.communities import community_update
from moderation.scoring.base import ScoreInput, score_all, scorer_label, scorers
from moderation.scoring.text import simhash

from .review import Screened, screened_to_queue
from .word_screen import stronger, word_verdicts

TITLE_CHARS = 500
SETTINGS_KEY = "moderation"
DEFAULT_THRESHOLDS = {"spam_flag": 0.5, "spam_hold": 0.8, "toxicity_flag": 0.5, "toxicity_hold": 0.85}
MAX_FLAGS_TO_HIDE = 50
STAFF = {Role.OWNER, Role.ADMIN, Role.MANAGER, Role.MODERATOR}
NEW_DAYS, NEW_ACTIVITIES = 3, 3  # joined less than 3 days ago, or at most 3 activities: a new member
TRUSTED_DAYS, TRUSTED_ACTIVITIES = 14, 20  # here two weeks with 20 activities on any channel: trusted
BRAND_NEW = timedelta(hours=1)
DUPLICATE_BITS = 6  # simhash bits apart still counted as the same text (unrelated comments: ~0.1% of pairs)
DUPLICATE_WINDOW = timedelta(days=30)
VELOCITY_WINDOW = timedelta(minutes=10)


def moderation_thresholds(community: Community) -> dict[str, float]:
    """The community's thresholds (Community.settings["moderation"]) over the defaults."""
    stored = (community.settings or {}).get(SETTINGS_KEY) or {}
    return {key: float(stored.get(key, default)) for key, default in DEFAULT_THRESHOLDS.items()}


def moderation_thresholds_set(*, community: Community, actor: Actor, **values) -> Community:
    """Change some thresholds (admins, as any community setting): each in 0 … 1, a flag level at most its hold level;
    `flags_to_hide` (trusted flags that hide a post) a whole number from 1 to 50. Other moderation settings kept."""
    flags = values.pop("flags_to_hide", None)
    unknown = set(values) - set(DEFAULT_THRESHOLDS)
    if unknown:
        raise ServiceError(f"Unknown thresholds: {', '.join(sorted(unknown))}.")
    merged = moderation_thresholds(community)
    bad_flags = isinstance(flags, bool) or not isinstance(flags, int) or not 1 <= flags <= MAX_FLAGS_TO_HIDE
    if flags is not None and bad_flags:
        raise ServiceError(f"flags_to_hide: a whole number from 1 to {MAX_FLAGS_TO_HIDE}.", field="flags_to_hide")
    for key, value in values.items():
        try:
            merged[key] = float(value)
        except (TypeError, ValueError):
            raise ServiceError(f"{key}: expected a number between 0 and 1.", field=key) from None
        if not 0 <= merged[key] <= 1:
            raise ServiceError(f"{key}: expected a number between 0 and 1.", field=key)
    for kind in ("spam", "toxicity"):
        if merged[f"{kind}_flag"] > merged[f"{kind}_hold"]:
            raise ServiceError(f"{kind}_flag must not be above {kind}_hold.", field=f"{kind}_flag")
    # Merged into what is stored: the same key holds other moderation settings (flags_to_hide, rules of other
    # services), which a thresholds change must not drop.
    stored = dict((community.settings or {}).get(SETTINGS_KEY) or {})
    stored.update(merged)
    if flags is not None:
        stored["flags_to_hide"] = flags
    settings = {**(community.settings or {}), SETTINGS_KEY: stored}
    return community_update(community=community, actor=actor, settings=settings)


def screening_outcome(*, spam: float, toxicity: float, thresholds: dict[str, float]) -> tuple[str, list[str]]:
    """The status a score earns and why: held at or above a hold level, flagged at or above a flag level."""
    reasons = []
    status = "published"
    for kind, score in (("spam", spam), ("toxicity", toxicity)):
        if score >= thresholds[f"{kind}_hold"]:
            status = "held"
            reasons.append(f"{kind} {score:.2f} ≥ hold level {thresholds[f'{kind}_hold']:.2f}")
        elif score >= thresholds[f"{kind}_flag"]:
            status = "flagged" if status == "published" else status
            reasons.append(f"{kind} {score:.2f} ≥ flag level {thresholds[f'{kind}_flag']:.2f}")
    return status, reasons


def activities_for_review(*, community: Community) -> QuerySet[Activity]:
    """What the screen held or flagged, newest first: where the review queue picks activities up."""
    return (
        Activity.objects.for_community(community)
        .filter(moderation_status__in=("held", "flagged"))
        .select_related("member")
        .order_by("-occurred_at", "-id")
    )


def _trust(role, joined_at, activity_count, now) -> tuple[str, bool]:
    if joined_at is None:  # the member was erased: no author to judge
        return "basic", False
    brand_new = now - joined_at < BRAND_NEW
    if role in STAFF or (now - joined_at >= timedelta(days=TRUSTED_DAYS) and activity_count >= TRUSTED_ACTIVITIES):
        return "trusted", brand_new
    if now - joined_at < timedelta(days=NEW_DAYS) or activity_count <= NEW_ACTIVITIES:
        return "new", brand_new
    return "basic", brand_new


# Per new row: near-duplicates by the same author in another place (channel + topic/thread) within the window, among
# earlier screened rows and the rows of this batch; and the author's activities within the velocity window. Both
# use the (community, member, occurred_at) index; `bit_count` of the XOR is the Hamming distance of the simhashes.
SIGNALS_SQL = """
WITH u(id, member_id, h, place, at) AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(members)s::bigint[], %(hashes)s::bigint[], %(places)s::text[],
                         %(ats)s::timestamptz[])
), others AS (
    SELECT a.id, a.member_id, a.text_simhash AS h,
           a.channel || ':' || coalesce(nullif(a.parent_external_id, ''), a.external_id) AS place, a.occurred_at AS at
    FROM "community_activity" a
    WHERE a.community_id = %(community)s AND a.member_id = ANY(%(members)s::bigint[])
      AND a.occurred_at >= %(since)s AND a.occurred_at <= %(until)s AND a.text_simhash IS NOT NULL
    UNION ALL SELECT * FROM u
)
SELECT u.id,
       (SELECT count(DISTINCT o.place) FROM others o
         WHERE o.member_id = u.member_id AND o.id <> u.id AND o.place <> u.place AND u.h IS NOT NULL
           AND o.h IS NOT NULL AND bit_count((o.h # u.h)::bit(64)) <= %(bits)s
           AND o.at >= u.at - %(window)s AND o.at <= u.at + %(window)s),
       (SELECT count(*) FROM "community_activity" a
         WHERE a.community_id = %(community)s AND a.member_id = u.member_id
           AND a.occurred_at BETWEEN u.at - %(velocity)s AND u.at + %(velocity)s)
FROM u WHERE u.member_id IS NOT NULL
"""

UPDATE_SQL = """
UPDATE "community_activity" AS a
SET moderation_spam = u.spam, moderation_toxicity = u.toxicity, moderation_status = u.status,
    moderation_reasons = ARRAY(SELECT jsonb_array_elements_text(u.reasons::jsonb))::varchar(80)[],
    moderation_scorer = u.scorer, text_simhash = u.h
FROM unnest(%s::bigint[], %s::float8[], %s::float8[], %s::text[], %s::text[], %s::text[], %s::bigint[])
     AS u(id, spam, toxicity, status, reasons, scorer, h)
WHERE a.community_id = %s AND a.id = u.id AND a.moderation_scorer = ''
RETURNING a.id
"""


ROW_FIELDS = ("pk", "title", "body", "member_id", "channel", "parent_external_id", "external_id", "occurred_at",
              "source", "url", "member__status", "member__tags", "member__display_name", "member__role",
              "member__joined_at", "member__activity_count")  # fmt: skip


def _sanction_of(status: str | None, tags: list[str] | None) -> str:
    """What a sanction left on the author: "suspended", "banned", "silenced", or "" for none."""
    if status in (MemberStatus.SUSPENDED, MemberStatus.BANNED):
        return status
    return "silenced" if SILENCED_TAG in (tags or ()) else ""


def activities_screen(*, community: Community, activity_ids: list[int]) -> int:
    """Screen the listed activities nobody screened yet; returns rows written.

    Idempotent: only rows with an empty scorer are read and written (the UPDATE checks again, so a concurrent
    re-delivery of the same task writes nothing twice). Rows without text are published with zero scores."""
    if not activity_ids:
        return 0
    rows = list(
        Activity.objects.for_community(community)
        .filter(pk__in=activity_ids, moderation_scorer="")
        .values_list(*ROW_FIELDS)
    )
    if not rows:
        return 0
    texts = [f"{title[:TITLE_CHARS]}\n{body}" if title and body else title or body for _, title, body, *_ in rows]
    hashes = [simhash(t) if t else None for t in texts]
    with connection.cursor() as cursor:
        at = [r[7] for r in rows]
        cursor.execute(SIGNALS_SQL, {
            "ids": [r[0] for r in rows], "members": [r[3] for r in rows], "hashes": hashes,
            "places": [f"{r[4]}:{r[5] or r[6]}" for r in rows], "ats": at, "community": community.pk,
            "since": min(at) - DUPLICATE_WINDOW, "until": max(at) + DUPLICATE_WINDOW, "bits": DUPLICATE_BITS,
            "window": DUPLICATE_WINDOW, "velocity": VELOCITY_WINDOW,
        })  # fmt: skip
        signals = {pk: (duplicates, recent) for pk, duplicates, recent in cursor.fetchall()}
    now = timezone.now()
    used = scorers()
    with_text = [i for i, t in enumerate(texts) if t.strip()]
    inputs = []
    for i in with_text:
        pk, *_, name, role, joined_at, activity_count = rows[i]
        trust, brand_new = _trust(role, joined_at, activity_count or 0, now)
        duplicates, recent = signals.get(pk, (0, 0))
        inputs.append(ScoreInput(text=texts[i], author_name=name or "", trust=trust, brand_new=brand_new,
                                 duplicates=duplicates, recent_posts=recent))  # fmt: skip
    verdicts = dict(zip(with_text, score_all(inputs, used), strict=True))
    thresholds = moderation_thresholds(community)
    label = scorer_label(used)
    by_words = word_verdicts(community=community, texts=texts, channels=[r[4] for r in rows])
    spam, toxicity, statuses, reasons = [], [], [], []
    for i in range(len(rows)):
        verdict = verdicts.get(i)
        s, t = (verdict.spam or 0.0, verdict.toxicity or 0.0) if verdict else (0.0, 0.0)
        status, why = screening_outcome(spam=s, toxicity=t, thresholds=thresholds)
        if i in by_words:  # a watched word can only make the outcome stricter
            status, why = stronger(status, by_words[i][0]), why + by_words[i][1]
        sanctioned = _sanction_of(rows[i][10], rows[i][11])
        if sanctioned:
            # Still recorded (the community should know what they say elsewhere), marked, and shown to a moderator.
            status, why = ("flagged" if status == "published" else status), [*why, f"author is {sanctioned}"]
        spam.append(s)
        toxicity.append(t)
        statuses.append(status)
        # The scorers' own reasons say what they saw; they matter only once the scores decided something.
        reasons.append(json.dumps((why + (verdict.reasons if verdict else [])) if status != "published" else []))
    with connection.cursor() as cursor:
        cursor.execute(UPDATE_SQL, [[r[0] for r in rows], spam, toxicity, statuses, reasons,
                                    [label] * len(rows), hashes, community.pk])  # fmt: skip
        written = {pk for (pk,) in cursor.fetchall()}
    # Only rows this call wrote go to people: a concurrent re-delivery that lost the UPDATE opens nothing.
    review = [
        Screened(activity_id=r[0], source=r[8], external_id=r[6], member_id=r[3], title=r[1], body=r[2], url=r[9],
                 status=statuses[i], reasons=json.loads(reasons[i]), spam=spam[i], toxicity=toxicity[i],
                 origin="watched_word" if i in by_words else "scorer")
        for i, r in enumerate(rows) if r[0] in written and statuses[i] in ("held", "flagged")
    ]  # fmt: skip
    screened_to_queue(community=community, rows=review, label=label)
    return len(written)
