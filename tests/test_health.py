"""/healthz tells a load balancer whether this instance can serve: 200 when the database answers, 503 when not."""

import pytest
from django.db import OperationalError, connection
from django.urls import reverse


@pytest.mark.django_db
def test_a_probe_gets_ok_when_the_database_answers(client):
    response = client.get(reverse("initiatives:healthz"))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_probe_gets_503_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": "unreachable"}


@pytest.mark.django_db
def test_with_a_redis_cache_the_probe_checks_it_too(client, settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    monkeypatch.setattr("initiatives.views.health.cache_answers", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"ok": False, "database": "ok", "cache": "unreachable"}


@pytest.mark.django_db
def test_a_post_to_the_probe_is_refused(client):
    assert client.post("/healthz").status_code == 405
