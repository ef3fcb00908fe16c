"""A gunicorn worker serves at once: the app is loaded in the master (preload_app) and warmed there, so a worker
replaced after max_requests does not spend its first requests compiling templates and reading catalogues. Before,
each replacement cost about a second, the p99 of `make bench`'s overview."""

import gc
import runpy
import sys
from pathlib import Path

import pytest
from django.template import engines

from strategy_tracker.wsgi import _template_names, warm_up

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_loads_the_app_before_forking_its_workers(monkeypatch):
    monkeypatch.delenv("GUNICORN_PRELOAD", raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["preload_app"] is True
    assert config["max_requests"] > 0  # workers are still replaced now and then


def test_every_template_of_the_project_is_found():
    names = _template_names(engines["django"])
    assert {"base.html", "initiatives/public/overview.html", "initiatives/public/overview_content.html",
            "initiatives/public/member_state_detail.html"} <= set(names)


@pytest.mark.django_db
def test_warming_compiles_the_templates_without_a_query(django_assert_num_queries):
    engine = engines["django"].engine
    cached = [loader for loader in engine.template_loaders if hasattr(loader, "get_template_cache")]
    if not cached:
        pytest.fail("the tests run with DEBUG off: Django's cached template loader is in use")
    cached[0].reset()
    with django_assert_num_queries(0):
        warm_up()
    assert "initiatives/public/overview.html" in cached[0].get_template_cache


def test_a_worker_forks_with_the_masters_objects_out_of_the_collectors_reach():
    """gc.freeze() before each fork: a new worker's collections do not walk (and so copy, page by page) the heap it
    inherits, which stalled the requests queued on it after every replacement."""
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_warming_imports_the_shared_caches_client_library(monkeypatch, settings):
    """Django's RedisCache imports redis-py at its first use: 100-115 ms of each new worker's first request that
    reached the cache, the tail of the overview's latency under load. Warming imports it in the master."""
    settings.CACHES = {**settings.CACHES, "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    for name in [name for name in sys.modules if name == "redis" or name.startswith("redis.")]:
        monkeypatch.delitem(sys.modules, name)  # put back as they were after the test
    warm_up()  # a port nothing listens on: importing the library connects to nothing
    assert "redis" in sys.modules
