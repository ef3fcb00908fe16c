import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
application = get_wsgi_application()


def _refuse_demo_accounts() -> None:
    """Production (DEBUG off) does not serve while a demo account has the demo password (initiatives/checks.py)."""
    from django.db import connections

    from initiatives.checks import refuse_demo_accounts

    try:
        refuse_demo_accounts()
    finally:
        connections.close_all()


# The client libraries that Django's cache backends import only when first used: redis-py took 100-115 ms of every
# new worker's first request that reached the cache (under wrk, the overview's p99).
CACHE_CLIENT_LIBRARIES = {"django.core.cache.backends.redis.RedisCache": "redis",
                          "strategy_tracker.cache.RedisCache": "redis"}


def warm_up() -> None:
    """What every worker's first requests would otherwise do, done once before gunicorn forks its workers
    (preload_app, gunicorn.conf.py): compile every template (Django's cached loader), read each offered
    language's catalogues, build the URL resolvers, import the shared cache's client library. A worker replaced
    after max_requests then serves at once instead of spending its first requests on this. It opens no cache
    connection and leaves no database connection open."""
    import importlib

    from django.conf import settings
    from django.db import connections
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    for engine in engines.all():
        for name in _template_names(engine):
            engine.get_template(name)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Overview")
            get_resolver().reverse_dict  # noqa: B018 (built per language)
    for cache in settings.CACHES.values():
        if library := CACHE_CLIENT_LIBRARIES.get(cache["BACKEND"]):
            importlib.import_module(library)
    connections.close_all()


def _template_names(engine) -> list[str]:
    """The names of every template the engine finds in its directories and the app's own."""
    from pathlib import Path

    from django.apps import apps

    folders = [Path(folder) for folder in engine.engine.dirs]
    folders += [Path(app.path) / "templates" for app in apps.get_app_configs() if app.name.startswith("initiatives")]
    return sorted({str(path.relative_to(folder)) for folder in folders if folder.is_dir()
                   for path in folder.rglob("*.html")})


_refuse_demo_accounts()
if not settings.DEBUG:  # production: the cached template loader keeps what warm_up compiles
    warm_up()
