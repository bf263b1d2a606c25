"""harbor-replication: a sync and async client for Harbor's replication API."""
