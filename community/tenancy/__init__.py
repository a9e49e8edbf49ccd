"""Tenancy lives here: the CommunityOwned base model, the scope that sets Postgres RLS, the bypass."""

from .scope import community_scope, current_community_id, scoped_task, unscoped

__all__ = ["community_scope", "current_community_id", "scoped_task", "unscoped"]
