"""The routers of /api/v1/, one per resource."""
