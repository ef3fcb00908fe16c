"""Whole-page cache for anonymous visitors of the public pages, invalidated on every change to the data.

PageCacheMiddleware (last in settings.MIDDLEWARE, so every outer middleware still adds its headers to a
cached page) keeps the rendered response of the public HTML pages and Atom feeds listed in CACHED_PAGES, for
settings.PAGE_CACHE_SECONDS, when the request carries no session or messages cookie and no query string, and
the response sets no cookie and used no CSRF token. A page is stored per host name it was asked under (its
language alternates and a feed's links and entry ids are absolute addresses), language and method. Each stored
page carries the generation token it was rendered under; any save, delete or many-to-many change of a model of
this app replaces the token (signals connected in apps.py), so the next request renders afresh. Writes that
bypass signals (QuerySet.update(), bulk_create()) must call invalidate().

The token is replaced at the change and again when its transaction commits: meanwhile another worker or app
server may render a page from the data as committed before the change and store it under the new token; the
second replacement makes that page stale (a rolled-back transaction leaves no second replacement).

Across gunicorn workers the token must live in a shared cache: PAGE_CACHE_SECONDS is 0 (off) unless
REDIS_URL is set (settings.py).
"""

from __future__ import annotations

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "page-cache:generation"
CACHED_PAGES = {
    "initiatives:overview", "initiatives:initiative_list", "initiatives:initiative_detail", "initiatives:timeline",
    "initiatives:member_state_list", "initiatives:member_state_detail", "initiatives:directive_matrix",
    "initiatives:infringement_list", "initiatives:about",
    # feed readers ask for these most often of all, and every one is the same for every reader
    "initiatives:feed", "initiatives:feed_member_state", "initiatives:feed_initiative",
}
APP_LABEL = "initiatives"
logger = logging.getLogger(__name__)


def new_generation() -> str:
    token = uuid.uuid4().hex
    cache.add(GENERATION_KEY, token, None)  # if another process got there first, its token wins
    return cache.get(GENERATION_KEY) or token


def invalidate(**_signal_arguments) -> None:
    """Make every cached page stale at once: the next request for each renders it afresh."""
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # a cache outage must not fail the write; pages in it expire by PAGE_CACHE_SECONDS
        logger.exception("page cache: could not invalidate")


def invalidate_now_and_at_commit(using=None) -> None:
    """Invalidate now and, inside a transaction, once more when it commits (once per transaction)."""
    invalidate()
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and not any(entry[1] is invalidate for entry in connection.run_on_commit):
        transaction.on_commit(invalidate, using=using)


def _on_change(sender, using=None, **kwargs):
    if sender._meta.app_label == APP_LABEL:
        invalidate_now_and_at_commit(using)


def _on_m2m_change(sender, instance, action, using=None, **kwargs):
    if action.startswith("post_") and instance._meta.app_label == APP_LABEL:
        invalidate_now_and_at_commit(using)


def connect_signals() -> None:
    post_save.connect(_on_change, dispatch_uid="page-cache-save")
    post_delete.connect(_on_change, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_on_m2m_change, dispatch_uid="page-cache-m2m")


def release() -> str:
    """What the stored pages and parts of pages were rendered with: the hash of the static files' manifest
    (production's hashed file names). A new release with changed static files stores afresh instead of serving
    HTML that names files it no longer has; "dev" where static files are not hashed."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    return getattr(staticfiles_storage, "manifest_hash", "") or "dev"


def page_key(request) -> str:
    path = hashlib.sha256(f"{request.get_host()}\n{request.get_full_path()}".encode()).hexdigest()[:32]
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return f"page:{release()}:{language}:{request.method}:{path}"


def cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in CACHED_PAGES


def cacheable_response(request, response) -> bool:
    control = response.get("Cache-Control", "")
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in control and "no-store" not in control)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or not cacheable_request(request):
            return self.get_response(request)
        key = page_key(request)
        try:
            # One round trip: the current generation and the stored (generation, page) pair.
            found = cache.get_many([GENERATION_KEY, key])
            token = found.get(GENERATION_KEY) or new_generation()
        except Exception:  # the cache is down: serve the page uncached rather than fail
            logger.exception("page cache: unreachable")
            return self.get_response(request)
        stored = found.get(key)
        if stored is not None and stored[0] == token:
            cached = stored[1]
            patch_vary_headers(cached, ["Cookie"])  # as if the session had been looked at, like a rendered page
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if cacheable_response(request, response):
            try:
                # Stored under the generation read before rendering: a change made meanwhile makes it stale.
                cache.set(key, (token, response), seconds)
            except Exception:
                logger.exception("page cache: could not store %s", request.path)
            response["X-Page-Cache"] = "miss"
        return response


# --- computed parts of pages ------------------------------------------------------------------------------------
#
# The page cache keeps whole pages, for anonymous visitors without a query string. The figures of some pages
# (the overview's counts, charts and latest changes; the Member States' summary) are costly to compute and the
# same for every visitor, staff and liaison included, on any filter of the same day: `computed()` keeps them,
# under the same generation token (any write makes them stale at once), the language and the day they are for.
# The page itself is still rendered for every request. On only with DATA_CACHE_SECONDS > 0, which needs the
# shared cache (REDIS_URL) for the same reason as the page cache.


def computed(name: str, build, *, day, reference_day, seconds: int | None = None):
    """`build()`, or what it returned under the current generation for the same `name`, language, `day` (None:
    the present) and `reference_day` (today, for the present: figures such as slippage count to it)."""
    from django.utils.translation import get_language

    seconds = settings.DATA_CACHE_SECONDS if seconds is None else seconds
    if seconds <= 0:
        return build()
    key = f"data:{release()}:{name}:{get_language()}:{day.isoformat() if day else 'now'}:{reference_day.isoformat()}"
    try:
        found = cache.get_many([GENERATION_KEY, key])
        token = found.get(GENERATION_KEY) or new_generation()
    except Exception:  # the cache is down: compute, rather than fail
        logger.exception("data cache: unreachable")
        return build()
    stored = found.get(key)
    if stored is not None and stored[0] == token:
        return stored[1]
    value = build()
    try:
        cache.set(key, (token, value), seconds)  # under the token read before computing: a write meanwhile wins
    except Exception:
        logger.exception("data cache: could not store %s", name)
    return value
