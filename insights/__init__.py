"""Insights: feedback boards, sentiment, dashboards, retention and crisis alerts."""
