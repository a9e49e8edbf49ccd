"""Moderation's writers: queue items and their actions, flags, sanctions, appeals, guidelines, the log."""
