"""Feedback: boards of ideas (topics of "ideas" spaces), statuses, votes, evidence, merges, roadmap and changelog."""
