"""The crisis watch's rules and their evaluation: per community, a constant number of queries whatever its history.

One read of the current windows from the activities (index (community, occurred_at), bounded by the longest
window; late arrivals — activities that occurred more than 24 hours before they reached Hearth, such as imported
history — left out), one read of the hourly rollups for the same windows one to four weeks back, then the alerts:
a scope already alerting gets its open alert updated, a new one is raised. See docs/insights.md, "Crisis watch".
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from community.errors import ServiceError
from community.models import Activity, Community
from community.outbound import url_refusal
from community.task_queue import enqueue_on_commit
from insights.models import (
    Alert,
    AlertEvent,
    AlertEventKind,
    AlertRule,
    AlertStatus,
    CrisisSettings,
    HourStat,
    RuleKind,
)  # fmt: skip

from . import baseline
from .keywords import folded_text_sql, phrases_clean, phrases_regex

LATE_AFTER = timedelta(hours=24)  # arrived this long after it occurred: history, never a crisis now
EVIDENCE = 50  # activity ids kept per alert
_LOCK_CLASS = 17_001  # pg_advisory_xact_lock(class, community): one evaluation of a community at a time

DEFAULT_RULES = [
    (RuleKind.SENTIMENT, 60, {"min_count": 10, "z": 3, "min_ratio": 2.0, "share_delta": 0.25}, []),
    # Four samples of a whole day carry their own noise: the day rule asks for more (1.75 x usual).
    (RuleKind.SENTIMENT, 1440, {"min_count": 30, "z": 4, "min_ratio": 1.75, "share_delta": 0.2}, []),
    (RuleKind.VOLUME, 60, {"min_count": 50, "z": 4, "min_ratio": 3.0}, []),
    (RuleKind.KEYWORD, 60, {"threshold": 5}, ["outage", "refund", "scam", "hacked", "lawsuit", "data breach"]),
]
THRESHOLD_DEFAULTS = {
    RuleKind.SENTIMENT: {"min_count": 10, "z": 3, "min_ratio": 2.0, "share_delta": 0.25},
    RuleKind.VOLUME: {"min_count": 50, "z": 4, "min_ratio": 3.0},
    RuleKind.KEYWORD: {"threshold": 5},
    RuleKind.FLAGS: {"threshold": 5},
}

_ACTIVITY = Activity._meta.db_table
_HOUR_STAT = HourStat._meta.db_table


# --- rules -------------------------------------------------------------------------------------------------------


def crisis_watch_ensure(*, community: Community) -> CrisisSettings:
    """The community's watch settings; the first call creates them and the default rules (communities made after
    the data migration get theirs from the first evaluation or the first visit of the crisis page)."""
    settings, created = CrisisSettings.objects.get_or_create(community=community, defaults={"defaults_created": True})
    if created:
        AlertRule.objects.bulk_create(
            AlertRule(community=community, kind=kind, window_minutes=window, thresholds=dict(t), keywords=list(k))
            for kind, window, t, k in DEFAULT_RULES
        )
    return settings


def _thresholds(kind: str, values: dict) -> dict:
    allowed = THRESHOLD_DEFAULTS[kind]
    out = dict(allowed)
    for name, value in (values or {}).items():
        if name not in allowed:
            raise ServiceError(f"thresholds: {name} is not a setting of a {kind} rule.", field="thresholds")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value > 1_000_000:
            raise ServiceError(f"thresholds: {name} must be a number from 0.", field="thresholds")
        out[name] = value
    return out


def _rule_fields(kind: str, fields: dict) -> dict:
    if kind not in RuleKind.values:
        raise ServiceError(f"kind: one of {', '.join(RuleKind.values)}.", field="kind")
    clean = {}
    if "window_minutes" in fields:
        window = fields["window_minutes"]
        if isinstance(window, bool) or not isinstance(window, int) or not 5 <= window <= 10080:
            raise ServiceError("window_minutes: from 5 minutes to 7 days (10080).", field="window_minutes")
        clean["window_minutes"] = window
    if "channel" in fields:
        clean["channel"] = (fields["channel"] or "").strip()[:40] or None
    if "keywords" in fields:
        clean["keywords"] = phrases_clean(list(fields["keywords"] or []))
    if "thresholds" in fields:
        clean["thresholds"] = _thresholds(kind, fields["thresholds"])
    if "enabled" in fields:
        clean["enabled"] = bool(fields["enabled"])
    return clean


def alert_rule_create(*, community: Community, actor, kind: str, **fields) -> AlertRule:
    clean = _rule_fields(kind, fields)
    clean.setdefault("thresholds", dict(THRESHOLD_DEFAULTS[kind]))
    if kind == RuleKind.KEYWORD and not clean.get("keywords"):
        raise ServiceError("A keyword rule needs at least one phrase.", field="keywords")
    return AlertRule.objects.create(community=community, kind=kind, **clean)


def alert_rule_update(*, community: Community, actor, rule: AlertRule, **fields) -> AlertRule:
    if "thresholds" in fields:  # a partial change keeps the other thresholds
        fields["thresholds"] = {**(rule.thresholds or {}), **(fields["thresholds"] or {})}
    clean = _rule_fields(rule.kind, fields)
    if rule.kind == RuleKind.KEYWORD and "keywords" in clean and not clean["keywords"]:
        raise ServiceError("A keyword rule needs at least one phrase.", field="keywords")
    for name, value in clean.items():
        setattr(rule, name, value)
    rule.save(update_fields=list(clean) or None)
    return rule


def alert_rule_delete(*, community: Community, actor, rule: AlertRule) -> None:
    rule.delete()  # its alerts stay, with their history (rule set to null)


def crisis_webhook_set(*, community: Community, actor, url: str) -> CrisisSettings:
    """A Slack or Discord incoming-webhook URL; refused when it points at a private or loopback address."""
    url = (url or "").strip()
    if url:
        refusal = url_refusal(url)
        if refusal:
            raise ServiceError(f"This webhook address cannot be used: {refusal}.", field="webhook_url")
    settings = crisis_watch_ensure(community=community)
    settings.webhook_url = url
    settings.save(update_fields=["webhook_url"])
    return settings


# --- evaluation --------------------------------------------------------------------------------------------------


@dataclass
class _Window:
    """Counts of one channel in the current windows: {minutes: (activities, scored, negative)}, keyword matches."""

    counts: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    matches: dict[int, int] = field(default_factory=dict)  # rule id -> matching activities


@dataclass
class _Finding:
    rule: AlertRule
    channel: str
    observed: float
    expected: float
    spread: float
    summary: str
    window_start: datetime
    window_end: datetime
    ids: list[int] = field(default_factory=list)
    subject: tuple[str, int] | None = None  # flags: the flagged post (moderation's subject kind and id)

    @property
    def scope_key(self) -> str:
        if self.rule.kind == RuleKind.FLAGS and self.subject:
            return f"flags:{self.subject[0]}:{self.subject[1]}"
        if self.rule.kind == RuleKind.KEYWORD:
            return f"keyword:{self.rule.pk}:{self.channel}"
        return f"{self.rule.kind}:{self.channel}"


def _observed(community: Community, rules: list[AlertRule], now: datetime) -> dict[str, _Window]:
    windows = sorted({r.window_minutes for r in rules})
    since = {w: now - timedelta(minutes=w) for w in windows}
    columns, params = [], {"community": community.pk, "now": now, "late": LATE_AFTER, "since": since[windows[-1]]}
    for w in windows:
        params[f"s{w}"] = since[w]
        columns += [
            f"count(*) FILTER (WHERE a.occurred_at >= %(s{w})s)",
            f"count(a.sentiment) FILTER (WHERE a.occurred_at >= %(s{w})s)",
            f"count(*) FILTER (WHERE a.occurred_at >= %(s{w})s AND a.sentiment IS NOT NULL "
            "AND a.sentiment_label = 'negative')",
        ]
    keyword_rules = [r for r in rules if r.kind == RuleKind.KEYWORD and phrases_regex(r.keywords)]
    for r in keyword_rules:
        params[f"k{r.pk}"] = phrases_regex(r.keywords)
        columns.append(
            f"count(*) FILTER (WHERE a.occurred_at >= %(s{r.window_minutes})s AND {folded_text_sql()} ~ %(k{r.pk})s)"
        )
    sql = (
        f'SELECT a.channel, {", ".join(columns)} FROM "{_ACTIVITY}" a '  # noqa: S608 - built from static parts
        "WHERE a.community_id = %(community)s AND a.occurred_at >= %(since)s AND a.occurred_at < %(now)s "
        "AND a.created_at - a.occurred_at <= %(late)s GROUP BY a.channel"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, _Window] = {}
    for row in rows:
        window = out.setdefault(row[0], _Window())
        values = row[1:]
        for i, w in enumerate(windows):
            window.counts[w] = tuple(values[3 * i : 3 * i + 3])
        for j, r in enumerate(keyword_rules):
            window.matches[r.pk] = values[3 * len(windows) + j]
    return out


def _history(community: Community, rules: list[AlertRule], now: datetime) -> dict[str, dict[datetime, tuple]]:
    """Hourly rows covering every rule's windows one to four weeks back: {channel: {hour: (act, scored, neg)}}."""
    ranges = {r for rule in rules for r in baseline.baseline_hours(now, timedelta(minutes=rule.window_minutes))}
    clauses, params = [], {"community": community.pk}
    for i, (start, end) in enumerate(sorted(ranges)):
        params[f"a{i}"], params[f"b{i}"] = start, end
        clauses.append(f"(hour >= %(a{i})s AND hour < %(b{i})s)")
    sql = (
        f'SELECT channel, hour, activities, scored, negative FROM "{_HOUR_STAT}" '  # noqa: S608
        f"WHERE community_id = %(community)s AND ({' OR '.join(clauses)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, dict[datetime, tuple]] = {}
    for channel, hour, *values in rows:
        out.setdefault(channel, {})[hour] = tuple(values)
    return out


def _column(hours: dict[datetime, tuple], index: int) -> dict[datetime, float]:
    return {hour: values[index] for hour, values in hours.items()}


def _merged(per_channel: dict[str, dict[datetime, tuple]]) -> dict[datetime, tuple]:
    total: dict[datetime, list] = {}
    for hours in per_channel.values():
        for hour, values in hours.items():
            acc = total.setdefault(hour, [0, 0, 0])
            for i, v in enumerate(values):
                acc[i] += v
    return {hour: tuple(v) for hour, v in total.items()}


def _judge_scope(rule, channel, now, current, hours) -> _Finding | None:
    """Sentiment or volume for one scope (a channel, or "" for the whole community)."""
    minutes = rule.window_minutes
    window = timedelta(minutes=minutes)
    t = {**THRESHOLD_DEFAULTS[rule.kind], **(rule.thresholds or {})}
    activities, scored, negative = current
    common = {"rule": rule, "channel": channel, "window_start": now - window, "window_end": now}
    if rule.kind == RuleKind.VOLUME:
        verdict = baseline.judge(
            activities, baseline.samples(_column(hours, 0), now, window),
            min_count=t["min_count"], z=t["z"], min_ratio=t["min_ratio"],
        )  # fmt: skip
        if not verdict.fires:
            return None
        words = baseline.summary(
            subject="Activity", channel=channel, observed=activities, minutes=minutes,
            expected=verdict.expected, spread=verdict.spread,
        )  # fmt: skip
        return _Finding(observed=activities, expected=verdict.expected, spread=verdict.spread, summary=words, **common)
    verdict = baseline.judge(
        negative, baseline.samples(_column(hours, 2), now, window),
        min_count=t["min_count"], z=t["z"], min_ratio=t["min_ratio"],
    )  # fmt: skip
    past_scored = sum(baseline.samples(_column(hours, 1), now, window))
    past_negative = sum(baseline.samples(_column(hours, 2), now, window))
    usual_share = past_negative / past_scored if past_scored else 0.0
    share = negative / scored if scored else 0.0
    share_fires = negative >= t["min_count"] and share >= usual_share + t["share_delta"]
    if not (verdict.fires or share_fires):
        return None
    words = baseline.summary(
        subject="Negative posts", channel=channel, observed=negative, minutes=minutes,
        expected=verdict.expected, spread=verdict.spread,
    )  # fmt: skip
    words += f" ({round(100 * share)}% of scored posts, usually {round(100 * usual_share)}%)"
    return _Finding(observed=negative, expected=verdict.expected, spread=verdict.spread, summary=words, **common)


def _findings(rules, now, observed, history) -> list[_Finding]:
    findings = []
    channels = sorted(set(observed) | set(history))
    for rule in rules:
        if rule.kind == RuleKind.KEYWORD:
            scope = [rule.channel] if rule.channel else list(observed)
            matches = sum(observed[c].matches.get(rule.pk, 0) for c in scope if c in observed)
            threshold = (rule.thresholds or {}).get("threshold", THRESHOLD_DEFAULTS[RuleKind.KEYWORD]["threshold"])
            if matches >= max(threshold, 1):
                window = timedelta(minutes=rule.window_minutes)
                where = baseline.channel_words(rule.channel or "").replace("across the community", "on all channels")
                words = (
                    f"Watched words {where}: {matches} posts in {baseline.window_words(rule.window_minutes)} mention "
                    f"{', '.join(rule.keywords[:5])} (threshold {threshold})"
                )
                findings.append(
                    _Finding(rule, rule.channel or "", matches, threshold, 0, words[:300], now - window, now)
                )
            continue
        if rule.kind not in (RuleKind.SENTIMENT, RuleKind.VOLUME):
            continue  # flags: _flag_findings
        scopes = [rule.channel] if rule.channel else [*channels, ""]
        for channel in scopes:
            if channel:
                current = observed[channel].counts[rule.window_minutes] if channel in observed else (0, 0, 0)
                hours = history.get(channel, {})
            else:
                current = tuple(sum(w.counts[rule.window_minutes][i] for w in observed.values()) for i in range(3))
                hours = _merged(history)
            finding = _judge_scope(rule, channel, now, current, hours)
            if finding:
                findings.append(finding)
    return _deduplicated(findings)


SUBJECT_WORDS = {"topic": "one topic", "reply": "one reply", "activity": "one post", "appeal": "one appeal"}


def _flag_findings(community: Community, rules: list[AlertRule], now: datetime) -> list[_Finding]:
    """Moderation pressure: posts flagged by many members in a rule's window (one grouped query over the flags,
    read through moderation's selector; only when a flags rule is on)."""
    from django.db.models import Count

    from moderation.selectors import flag_list

    rules = [r for r in rules if r.kind == RuleKind.FLAGS]
    if not rules:
        return []
    longest = max(r.window_minutes for r in rules)
    counts = {
        f"n{r.pk}": Count("id", filter=Q(created_at__gte=now - timedelta(minutes=r.window_minutes))) for r in rules
    }
    rows = (
        flag_list(community=community).order_by().filter(created_at__gte=now - timedelta(minutes=longest))
        .values("subject_kind", "subject_id").annotate(**counts)
    )  # fmt: skip
    findings = []
    for row in rows:
        for rule in rules:
            threshold = (rule.thresholds or {}).get("threshold", THRESHOLD_DEFAULTS[RuleKind.FLAGS]["threshold"])
            n = row[f"n{rule.pk}"]
            if n >= max(threshold, 1):
                window = timedelta(minutes=rule.window_minutes)
                words = (
                    f"Flags on {SUBJECT_WORDS.get(row['subject_kind'], 'one post')}: {n} in "
                    f"{baseline.window_words(rule.window_minutes)} (threshold {threshold})"
                )
                subject = (row["subject_kind"], row["subject_id"])
                findings.append(_Finding(rule, "", n, threshold, 0, words, now - window, now, subject=subject))
    return findings


def _deduplicated(findings: list[_Finding]) -> list[_Finding]:
    """One finding per scope: the shortest window's (the hour and the 24-hour rules see one spike; the sharper
    reading wins). The whole community only when no channel of the same kind explains it; volume only where
    negative sentiment does not already explain it (one incident, one alert)."""
    by_scope: dict[str, _Finding] = {}
    for f in sorted(findings, key=lambda f: f.rule.window_minutes):
        by_scope.setdefault(f.scope_key, f)
    for f in list(by_scope.values()):
        if f.rule.kind == RuleKind.SENTIMENT:
            by_scope.pop(f"{RuleKind.VOLUME}:{f.channel}", None)
    kinds_on_channels = {f.rule.kind for f in by_scope.values() if f.channel and f.rule.kind != RuleKind.KEYWORD}
    return [
        f for f in by_scope.values()
        if f.channel or f.rule.kind == RuleKind.KEYWORD or f.rule.kind not in kinds_on_channels
    ]  # fmt: skip


def _evidence(community: Community, findings: list[_Finding]) -> None:
    """The activities behind each finding, most negative then most engaged (replies to them) first: one query."""
    branches, params = [], {"community": community.pk, "late": LATE_AFTER}
    for i, f in enumerate(findings):
        params[f"s{i}"], params[f"e{i}"], params[f"c{i}"] = f.window_start, f.window_end, f.channel
        where = f"a.occurred_at >= %(s{i})s AND a.occurred_at < %(e{i})s"
        if f.channel:
            where += f" AND a.channel = %(c{i})s"
        order = "a.sentiment ASC NULLS LAST, engagement DESC, a.id"
        if f.rule.kind == RuleKind.SENTIMENT:
            where += " AND a.sentiment IS NOT NULL AND a.sentiment_label = 'negative'"
        elif f.rule.kind == RuleKind.KEYWORD:
            params[f"k{i}"] = phrases_regex(f.rule.keywords)
            where += f" AND {folded_text_sql()} ~ %(k{i})s"
        elif f.rule.kind == RuleKind.FLAGS and f.subject:
            # The flagged post itself, whenever it was written: a channel activity by id, a forum post by its key.
            kind, subject_id = f.subject
            params[f"x{i}"] = subject_id if kind == "activity" else f"{kind}:{subject_id}"
            where = f"a.id = %(x{i})s" if kind == "activity" else f"a.source = 'forum' AND a.external_id = %(x{i})s"
        else:
            order = "engagement DESC, a.sentiment ASC NULLS LAST, a.id"
        branches.append(
            f"(SELECT {i} AS finding, a.id, row_number() OVER (ORDER BY {order}) AS rank FROM ("  # noqa: S608
            f'SELECT a.*, (SELECT count(*) FROM "{_ACTIVITY}" r WHERE r.community_id = a.community_id '
            "AND r.source = a.source AND r.parent_external_id = a.external_id AND a.external_id <> '') AS engagement "
            f'FROM "{_ACTIVITY}" a WHERE a.community_id = %(community)s AND {where} '
            f"AND a.created_at - a.occurred_at <= %(late)s) a ORDER BY {order} LIMIT {EVIDENCE})"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({' UNION ALL '.join(branches)}) e ORDER BY finding, rank", params)  # noqa: S608 - static parts, values bound
        for i, activity_id, _ in cursor.fetchall():
            findings[i].ids.append(activity_id)


def alerts_evaluate(*, community: Community, now: datetime | None = None) -> list[Alert]:
    """Run every enabled rule of the community once; returns the alerts raised or updated. Idempotent: run twice
    in the same minute, it updates the same alerts to the same values."""
    now = now or timezone.now()
    crisis_watch_ensure(community=community)
    rules = list(AlertRule.objects.for_community(community).filter(enabled=True).order_by("pk"))
    if not rules:
        return []
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:  # the lock lasts till commit
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, community.pk])
        watched = [r for r in rules if r.kind != RuleKind.FLAGS]
        findings = _flag_findings(community, rules, now)
        if watched:
            observed, history = _observed(community, watched, now), _history(community, watched, now)
            findings = _findings(watched, now, observed, history) + findings
        if not findings:
            return []
        _evidence(community, findings)
        return _alerts_write(community, findings, now)


def _alerts_write(community: Community, findings: list[_Finding], now: datetime) -> list[Alert]:
    longest = max(f.window_end - f.window_start for f in findings)
    known = Alert.objects.for_community(community).filter(
        Q(scope_key__in={f.scope_key for f in findings}),
        ~Q(status=AlertStatus.RESOLVED) | Q(resolved_at__gte=now - longest),
    )
    unresolved, recently_resolved = {}, {}
    for alert in known:
        key = alert.scope_key
        if alert.status == AlertStatus.RESOLVED:
            recently_resolved[key] = alert.resolved_at
        else:
            unresolved[key] = alert
    updated, created = [], []
    for f in findings:
        key = f.scope_key
        values = {
            "rule": f.rule, "observed": f.observed, "expected": f.expected, "spread": f.spread, "summary": f.summary[:300],
            "window_start": f.window_start, "window_end": f.window_end, "activity_ids": f.ids, "updated_at": now,
        }  # fmt: skip
        if key in unresolved:
            alert = unresolved[key]
            for name, value in values.items():
                setattr(alert, name, value)
            updated.append(alert)
        elif key in recently_resolved and recently_resolved[key] >= f.window_start:
            continue  # resolved by staff during this very window: the same spike does not come back at once
        else:
            created.append(Alert(community=community, kind=f.rule.kind, channel=f.channel, scope_key=key,
                                 raised_at=now, **values))  # fmt: skip
    if updated:
        Alert.objects.bulk_update(updated, list(values))
    if created:
        Alert.objects.bulk_create(created)
        AlertEvent.objects.bulk_create(
            AlertEvent(community=community, alert=a, kind=AlertEventKind.RAISED, text=a.summary, created_at=now)
            for a in created
        )
        for alert in created:
            enqueue_on_commit("insights.notify_alert", community.pk, alert.pk)
    return created + updated
