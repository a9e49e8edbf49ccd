from .alerts import (
    Alert,
    AlertEvent,
    AlertEventKind,
    AlertRule,
    AlertStatus,
    AlertSubscription,
    CrisisSettings,
    RuleKind,
)
from .reports import WeeklySummarySubscription
from .rollups import Audience, Conversation, DayStat, HourStat, MemberDay, MemberFirstDay
from .sharing import DashboardShare

__all__ = [
    "Alert", "AlertEvent", "AlertEventKind", "AlertRule", "AlertStatus", "AlertSubscription", "Audience",
    "Conversation", "CrisisSettings", "DashboardShare", "DayStat", "HourStat", "MemberDay", "MemberFirstDay",
    "RuleKind", "WeeklySummarySubscription",
]  # fmt: skip
