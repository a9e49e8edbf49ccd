"""Discussions: the community's own forum (spaces, topics, replies, polls, reactions, notifications)."""
