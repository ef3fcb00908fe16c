"""/healthz: for a load balancer or an orchestrator. 200 with {"ok": true} when the database (and the
Redis cache, when one is configured) answers; 503 with what failed otherwise. No session, no template."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("healthz: the database does not answer")
        return False


def cache_answers() -> bool:
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception:  # redis-py raises its own ConnectionError, not a Django one
        logger.exception("healthz: the cache does not answer")
        return False


@never_cache
@require_safe
def healthz(request):
    checks = {"database": "ok" if database_answers() else "unreachable"}
    if settings.REDIS_URL:
        checks["cache"] = "ok" if cache_answers() else "unreachable"
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"ok": ok, **checks}, status=200 if ok else 503)
