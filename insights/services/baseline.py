"""The crisis watch's arithmetic, pure: a window's seasonal samples from hourly rows, a robust anomaly test, words.

A window [now - W, now) is compared with the same window of the week one, two, three and four weeks earlier (the
same hours of the same weekdays, so busy Mondays are compared with Mondays), summed from hourly rollups, each
hour weighted by how much of it the shifted window covers. Expected is the median of the four, spread the scaled
median absolute deviation, floored by the Poisson noise √median and 1, so four identical quiet weeks do not make
every extra post a crisis.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

WEEKS = 4
HOUR = timedelta(hours=1)
MAD_SCALE = 1.4826  # MAD x 1.4826 estimates the standard deviation of normal data

CHANNEL_NAMES = {"github": "GitHub", "discord": "Discord", "slack": "Slack", "forum": "the forum", "rss": "RSS"}


def sample_windows(now: datetime, window: timedelta) -> list[tuple[datetime, datetime]]:
    return [(now - timedelta(weeks=k) - window, now - timedelta(weeks=k)) for k in range(1, WEEKS + 1)]


def baseline_hours(now: datetime, window: timedelta) -> list[tuple[datetime, datetime]]:
    """Hour ranges the hourly rows must cover for the samples (hour starts, the end exclusive)."""
    return [(start - HOUR, end) for start, end in sample_windows(now, window)]


def weighted_sum(rows: Iterable[tuple[datetime, float]], start: datetime, end: datetime) -> float:
    """Sum of hourly values over [start, end), an hour counted by the share of it inside the range."""
    total = 0.0
    for hour, value in rows:
        overlap = min(end, hour + HOUR) - max(start, hour)
        if overlap > timedelta(0):
            total += value * (overlap / HOUR)
    return total


def samples(hours: Mapping[datetime, float], now: datetime, window: timedelta) -> list[float]:
    items = list(hours.items())
    return [weighted_sum(items, start, end) for start, end in sample_windows(now, window)]


@dataclass(frozen=True)
class Verdict:
    fires: bool
    expected: float
    spread: float


def judge(observed: float, history: list[float], *, min_count: float, z: float, min_ratio: float) -> Verdict:
    """Far above the seasonal normal: at least min_count, more than z·noise above the median, and min_ratio times
    the median (the ratio keeps steady growth, which moves the level a little every week, from ever firing).

    noise = √(spread² + observed): the baseline's own spread plus the count noise of the window itself, so a
    window of 18 against a median of 6 (four samples of a noisy hour) is not a crisis while 64 against 3 is."""
    expected = median(history) if history else 0.0
    mad = median(abs(x - expected) for x in history) if history else 0.0
    spread = max(MAD_SCALE * mad, math.sqrt(expected), 1.0)
    noise = math.sqrt(spread**2 + observed)
    fires = observed >= min_count and observed > expected + z * noise and observed >= min_ratio * expected
    return Verdict(fires, expected, spread)


def window_words(minutes: int) -> str:
    if minutes == 60:
        return "the last hour"
    if minutes % 1440 == 0:
        days = minutes // 1440
        return "the last 24 hours" if days == 1 else f"the last {days} days"
    if minutes % 60 == 0:
        return f"the last {minutes // 60} hours"
    return f"the last {minutes} minutes"


def channel_words(channel: str) -> str:
    if not channel:
        return "across the community"
    return "on " + CHANNEL_NAMES.get(channel, channel.replace("_", " ").title())


def summary(*, subject: str, channel: str, observed: float, minutes: int, expected: float, spread: float) -> str:
    """E.g. "Negative posts on Discord: 64 in the last hour, usually 3 ± 2"."""
    return (
        f"{subject} {channel_words(channel)}: {round(observed)} in {window_words(minutes)}, "
        f"usually {round(expected)} ± {max(1, round(spread))}"
    )
