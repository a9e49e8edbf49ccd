"""Models of the community app, one module per aggregate."""

from .api_key import ApiKey
from .community import Community, Visibility
from .invitation import Invitation
from .member import Member, MemberStatus, Role

__all__ = ["ApiKey", "Community", "Invitation", "Member", "MemberStatus", "Role", "Visibility"]
