"""Models of the discussions forum, one module per aggregate."""

from .draft import Draft, Upload
from .notification import Digest, Notification, NotificationKind, NotificationPreference
from .poll import Poll, PollOption, PollVote, ResultsVisibility
from .reaction import DEFAULT_REACTIONS, Bookmark, Reaction
from .read_state import TopicReadState
from .reply import Reply, Revision
from .space import PostPolicy, Space, SpaceGroupMember, SpaceKind, SpaceVisibility
from .subscription import Level, Subscription
from .topic import Pin, Topic, TopicKind, TopicStatus

__all__ = [
    "DEFAULT_REACTIONS",
    "Bookmark",
    "Digest",
    "Draft",
    "Level",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Pin",
    "Poll",
    "PollOption",
    "PollVote",
    "PostPolicy",
    "Reaction",
    "Reply",
    "ResultsVisibility",
    "Revision",
    "Space",
    "SpaceGroupMember",
    "SpaceKind",
    "SpaceVisibility",
    "Subscription",
    "Topic",
    "TopicKind",
    "TopicReadState",
    "TopicStatus",
    "Upload",
]
