"""Models of connected channels: connections, the raw inbox and sync history."""

from .connection import ChannelConnection, ConnectionStatus
from .inbox import InboxEvent, InboxStatus
from .sync_run import SyncRun, SyncRunStatus

__all__ = ["ChannelConnection", "ConnectionStatus", "InboxEvent", "InboxStatus", "SyncRun", "SyncRunStatus"]
