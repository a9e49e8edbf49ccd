"""Moderation API: queue items and their actions, flags, sanctions, appeals and the log (/api/v1/moderation/…)."""
