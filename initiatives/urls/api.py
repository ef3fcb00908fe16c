"""The read-only API (/api/), its OpenAPI schema (/api/schema/) and docs (/api/docs/)."""

from initiatives.api.urls import urlpatterns

__all__ = ["urlpatterns"]
