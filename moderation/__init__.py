"""Moderation: guidelines, flags, automatic scoring, the review queue, sanctions and the audit log."""
