from .rollups import Audience, Conversation, DayStat, MemberDay, MemberFirstDay

__all__ = ["Audience", "Conversation", "DayStat", "MemberDay", "MemberFirstDay"]
