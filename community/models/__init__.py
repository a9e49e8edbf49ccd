"""Models of the community app, one module per aggregate."""

from .activity import Activity, ActivityKind
from .api_key import ApiKey
from .audit import AuditEntry
from .community import Community, Visibility
from .custom_field import CustomField, CustomFieldKind
from .identity import Identity
from .invitation import Invitation
from .member import Member, MemberStatus, Role
from .merge import MemberMerge, MergeSuggestion, SuggestionStatus
from .note import StaffNote
from .organization import Organization
from .segment import Segment

__all__ = [
    "Activity",
    "ActivityKind",
    "ApiKey",
    "AuditEntry",
    "Community",
    "CustomField",
    "CustomFieldKind",
    "Identity",
    "Invitation",
    "Member",
    "MemberMerge",
    "MemberStatus",
    "MergeSuggestion",
    "Organization",
    "Role",
    "Segment",
    "StaffNote",
    "SuggestionStatus",
    "Visibility",
]
