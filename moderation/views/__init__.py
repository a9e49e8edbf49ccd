"""Moderation pages: the staff queue, sanctions and log in the dashboard; flags, notices and guidelines for members."""
