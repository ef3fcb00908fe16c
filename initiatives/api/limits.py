"""Pagination and the anonymous rate limit, named in settings.REST_FRAMEWORK (kept apart from views.py,
which DRF's settings would otherwise import while DRF itself is still loading)."""

from django.conf import settings
from rest_framework import pagination
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Rate limit for anonymous clients, read from settings.API_ANON_RATE at each request (so tests and
    deployments can change it without re-importing DRF's settings)."""

    def get_rate(self):
        return getattr(settings, "API_ANON_RATE", "1000/hour")


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
