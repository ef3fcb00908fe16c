"""Pagination and the anonymous rate limit, named in settings.REST_FRAMEWORK (kept apart from views.py,
which DRF's settings would otherwise import while DRF itself is still loading)."""

import logging

from django.conf import settings
from rest_framework import pagination
from rest_framework.throttling import AnonRateThrottle

from initiatives.client import client_address

logger = logging.getLogger(__name__)


class AnonymousThrottle(AnonRateThrottle):
    """Rate limit for anonymous clients, read from settings.API_ANON_RATE at each request (so tests and
    deployments can change it without re-importing DRF's settings).

    Counted per client address as initiatives/client.py reads it (through TRUSTED_PROXY_COUNT proxies only).
    When the cache that holds the counts does not answer (Redis down), the request is served without a
    limit and the error is logged: the data is public, and /healthz already reports the cache as down."""

    def get_rate(self):
        return getattr(settings, "API_ANON_RATE", "1000/hour")

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # redis-py raises its own errors, not Django's; any cache failure is the same here
            logger.exception("API rate limit not applied: the cache does not answer")
            return True


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
