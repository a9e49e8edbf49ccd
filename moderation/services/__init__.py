"""Services of moderation."""
