from .reports import WeeklySummarySubscription
from .rollups import Audience, Conversation, DayStat, MemberDay, MemberFirstDay
from .sharing import DashboardShare

__all__ = [
    "Audience", "Conversation", "DashboardShare", "DayStat", "MemberDay", "MemberFirstDay", "WeeklySummarySubscription",
]  # fmt: skip
