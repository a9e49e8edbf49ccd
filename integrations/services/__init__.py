"""Writers of the integrations app: connections, the inbox and syncs."""
