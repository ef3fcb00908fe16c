"""Production mode as `make serve` runs it: DEBUG off, `check --deploy` clean, gunicorn serving hashed and
compressed static files through whitenoise, security headers, /healthz, logs on stdout, Redis when asked."""

import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import pytest
from django.conf import settings

from bench.server import gunicorn, manage, production_env

ROOT = settings.BASE_DIR


def settings_in_production(code: str, **env) -> subprocess.CompletedProcess:
    """Run `code` with the one settings module as production loads it, in a fresh interpreter."""
    script = f"import django; django.setup(); from django.conf import settings; {code}"
    environment = production_env(DJANGO_SETTINGS_MODULE="strategy_tracker.settings", **env)
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_check_deploy_passes_with_the_production_environment():
    environment = production_env(DJANGO_SETTINGS_MODULE="strategy_tracker.settings")
    environment.pop("SECURE_SSL_REDIRECT")  # production redirects to HTTPS (the default)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_redis_url_the_cache_is_per_process_and_pages_are_not_cached():
    result = settings_in_production('print(settings.CACHES["default"]["BACKEND"], settings.PAGE_CACHE_SECONDS)')
    assert result.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "0"], result.stderr


def test_with_redis_url_the_cache_is_redis():
    result = settings_in_production('print(settings.CACHES["default"]["BACKEND"], settings.CACHES["default"]'
                                    '["LOCATION"], settings.PAGE_CACHE_SECONDS)', REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.stdout.split() == ["strategy_tracker.cache.RedisCache", "redis://127.0.0.1:6379/3",
                                     "300"], result.stderr


def test_the_redis_cache_stores_and_reads_back():
    result = settings_in_production(
        'from django.core.cache import cache; cache.set("probe", 42, 5); print(cache.get("probe"))',
        REDIS_URL=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"), CACHE_KEY_PREFIX="test-production")
    if result.returncode != 0 and "Connection refused" in result.stderr and not os.environ.get("CI"):
        pytest.skip("Redis is not running on 127.0.0.1:6379 (CI starts it)")
    assert result.stdout.strip() == "42", result.stderr


def test_logs_go_to_stdout():
    result = settings_in_production('import logging; logging.getLogger("initiatives").warning("hello from the logs")')
    assert "hello from the logs" in result.stdout and result.stderr == ""


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """gunicorn serving a fresh SQLite copy of the real data, with collected, hashed, compressed static files,
    and, when Redis answers (CI starts it), the Redis cache with the page cache on, as `make serve` would."""
    folder = tmp_path_factory.mktemp("production")
    cache = {"REDIS_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": f"test-production-{uuid.uuid4().hex}"} \
        if redis_answers() else {}
    environment = production_env(DJANGO_SETTINGS_MODULE="strategy_tracker.settings",
                                 DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
                                 STATIC_ROOT=str(folder / "static"), GUNICORN_ACCESS_LOG="true", **cache)
    manage(environment, "migrate", "--noinput", "-v0")
    manage(environment, "load_real_data", "-v0")
    manage(environment, "collectstatic", "--noinput", "-v0")
    log = folder / "gunicorn.log"
    with gunicorn(environment, log=log) as base:
        yield base, log, environment


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, response.read()


def test_gunicorn_serves_the_overview_with_every_security_header(served):
    base, _log, _environment = served
    status, headers, body = fetch(base + "/", **{"X-Forwarded-Proto": "https"})
    assert status == 200 and b"<h1" in body
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_static_files_are_hashed_compressed_and_cached_for_a_long_time(served):
    base, _log, _environment = served
    _status, _headers, body = fetch(base + "/")
    stylesheets = re.findall(rb'href="(/static/[^"]+\.css)"', body)
    hashed = [url.decode() for url in stylesheets if re.search(rb"\.[0-9a-f]{12}\.css$", url)]
    assert hashed, f"no hashed stylesheet among {stylesheets}"
    status, headers, _body = fetch(base + hashed[0], **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]


def test_healthz_answers_ok_and_the_access_log_is_on_stdout(served):
    base, log, _environment = served
    status, _headers, body = fetch(base + "/healthz")
    health = json.loads(body)
    assert status == 200 and health["ok"] is True and health["database"] == "ok"
    assert health.get("cache", "ok") == "ok"
    assert '"GET /healthz HTTP/1.1" 200' in log.read_text()


def test_an_unknown_host_is_refused_not_served(served):
    base, _log, _environment = served
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(base + "/", Host="evil.example")
    assert refused.value.code == 400


def test_with_redis_a_change_made_by_another_process_reaches_every_worker_at_once(served):
    base, _log, environment = served
    if "REDIS_URL" not in environment:
        if os.environ.get("CI"):
            pytest.fail("Redis must run in CI (.ci/run starts it)")
        pytest.skip("Redis is not running on 127.0.0.1:6379: no page cache to test")
    fetch(base + "/")
    assert all(fetch(base + "/")[1]["X-Page-Cache"] == "hit" for _ in range(4))  # every worker, from Redis
    rename = ("from initiatives.models import Initiative; initiative = Initiative.objects.get(number=1); "
              "initiative.title = 'Renamed by another process'; initiative.save()")
    subprocess.run([sys.executable, "manage.py", "shell", "-c", rename], cwd=ROOT, env=environment, check=True,
                   capture_output=True)
    status, headers, body = fetch(base + "/")
    assert headers["X-Page-Cache"] == "miss" and b"Renamed by another process" in body
