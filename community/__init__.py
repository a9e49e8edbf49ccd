"""The tenant and its core: communities, roles, members, API keys, invitations (and later the activity stream)."""
