"""Every page, as production serves it (DEBUG off), carries the security headers: HSTS, a
Content-Security-Policy without inline scripts, Referrer-Policy, X-Content-Type-Options, frame-ancestors."""

import json
import subprocess
import sys

import pytest
from django.urls import Resolver404, resolve

from bench.server import production_env

# Public pages, the login page and the probe; a page another issue has not built yet is skipped, by name.
PAGES = ["/", "/initiatives/", "/initiatives/1/", "/timeline/", "/member-states/", "/member-states/EL/",
         "/directive/", "/infringements/", "/about/", "/open-data/", "/feed/", "/api/", "/accounts/login/",
         "/healthz"]
SECURITY_SETTINGS = ["DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
                     "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT",
                     "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
                     "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "CONTENT_SECURITY_POLICY"]


@pytest.fixture(scope="module")
def production_values():
    """The security settings exactly as the settings module computes them with DEBUG off."""
    environment = production_env(DJANGO_SETTINGS_MODULE="strategy_tracker.settings")
    environment.pop("SECURE_SSL_REDIRECT")
    code = ("import django, json; django.setup(); from django.conf import settings; "
            f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))")
    result = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                            check=True)
    return json.loads(result.stdout)


@pytest.fixture
def in_production(settings, production_values):
    for name, value in production_values.items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" else value)
    return settings


def existing(path):
    try:
        resolve(path)
    except Resolver404:
        pytest.skip(f"{path} does not exist yet (its issue has not landed): nothing to check")
    return path


def policy(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_a_visitor_over_https_gets_every_security_header(client, in_production, path):
    response = client.get(existing(path), secure=True)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    csp = policy(response["Content-Security-Policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    scripts = csp.get("script-src", csp["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert all(source == "'self'" for source in scripts), f"scripts from elsewhere allowed: {scripts}"


@pytest.mark.django_db
def test_a_visitor_over_plain_http_is_sent_to_https(client, in_production):
    response = client.get("/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/"


@pytest.mark.django_db
def test_the_health_probe_is_answered_over_plain_http(client, in_production):
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_a_forwarded_https_request_counts_as_secure(client, in_production):
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200 and "Strict-Transport-Security" in response


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_in_production(client, in_production):
    response = client.get(existing("/accounts/login/"), secure=True)
    assert response.cookies["csrftoken"]["secure"] is True
