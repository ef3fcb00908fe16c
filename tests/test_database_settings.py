"""How the app connects to its database: the settings for each engine come from one function
(strategy_tracker.settings.database), which bench/settings.py uses too."""

import pytest
from django.db import connection

from strategy_tracker.settings import database


def test_postgresql_connections_turn_jit_off():
    """With 1,500 procedures the state engine's count passed PostgreSQL's jit_above_cost: 14 ms of JIT
    compilation for a query that ran in 1 ms, the largest part of the overview's SQL time at 50x the data."""
    config = database("postgres://postgres@127.0.0.1:5432/tracker", conn_max_age=60)
    assert config["OPTIONS"]["options"] == "-c jit=off"
    assert config["CONN_MAX_AGE"] == 60


def test_sqlite_connections_begin_write_transactions_at_once():
    config = database("sqlite:////tmp/tracker.sqlite3")
    assert config["OPTIONS"] == {"transaction_mode": "IMMEDIATE", "timeout": 10}


def test_the_benchmark_measures_the_same_connection(monkeypatch, tmp_path):
    import importlib
    import sys

    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_bench")
    sys.modules.pop("bench.settings", None)
    try:
        bench_settings = importlib.import_module("bench.settings")
    finally:
        sys.modules.pop("bench.settings", None)
    assert bench_settings.DATABASES["default"]["OPTIONS"]["options"] == "-c jit=off"


@pytest.mark.django_db
def test_the_running_connection_has_no_jit():
    if connection.vendor != "postgresql":
        assert "options" not in connection.settings_dict["OPTIONS"]
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
