"""Models of connected channels: connections, the raw inbox, sync history and removals on the platforms."""

from .connection import ChannelConnection, ConnectionStatus
from .inbox import InboxEvent, InboxStatus
from .removal import ChannelRemoval, RemovalStatus
from .sync_run import SyncRun, SyncRunStatus

__all__ = [
    "ChannelConnection",
    "ChannelRemoval",
    "ConnectionStatus",
    "InboxEvent",
    "InboxStatus",
    "RemovalStatus",
    "SyncRun",
    "SyncRunStatus",
]
