"""The read-only REST API under /api/: published data only, with OpenAPI 3 docs at /api/docs/."""
