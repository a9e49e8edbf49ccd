"""Connected channels: connectors per platform, the raw inbox and the ingest pipeline."""
