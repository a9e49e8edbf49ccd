"""Feedback pages: members' boards, ideas, roadmap and changelog; the staff's prioritisation and actions."""
