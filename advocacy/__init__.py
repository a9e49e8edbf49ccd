"""Advocacy: points, badges, levels, challenges, referrals and leaderboards."""
