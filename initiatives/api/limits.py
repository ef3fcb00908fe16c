"""Pagination and the anonymous rate limit, named in settings.REST_FRAMEWORK (kept apart from views.py,
which DRF's settings would otherwise import while DRF itself is still loading)."""

import logging

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
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
    """`?page=` from 1, `?page_size=` from 1 to 500 (default 50): a page size outside that, or not a whole
    number, is a 400 naming it rather than silently the default (the schema states the bounds)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [
                _("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1)
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters
