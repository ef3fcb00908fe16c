"""Settings for the benchmark: the one settings module, pointed at a synthetic-only database, plus a trivial
view to compare throughput with (bench/urls.py; never in the production URLs).

BENCH_DATABASE_URL names the database (an SQLite file or a PostgreSQL database of its own; bench/run.py
creates them). It must differ from DATABASE_URL and from the project's db.sqlite3: the synthetic data never
meets the real data.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from strategy_tracker.settings import *  # noqa: F403
from strategy_tracker.settings import BASE_DIR, database

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
if not BENCH_DATABASE_URL:
    raise ImproperlyConfigured("bench.settings needs BENCH_DATABASE_URL (a database of its own for synthetic data).")
if BENCH_DATABASE_URL == os.environ.get("DATABASE_URL") or BENCH_DATABASE_URL.rstrip("/").endswith(
        str(BASE_DIR / "db.sqlite3")):
    raise ImproperlyConfigured("BENCH_DATABASE_URL must not be the real database.")

DATABASES = {"default": database(BENCH_DATABASE_URL, conn_max_age=600)}
SYNTHETIC_DATABASE = True  # make_synthetic_data writes only where this is set
ROOT_URLCONF = "bench.urls"
API_ANON_RATE = "100000000/minute"  # measure the API, not its rate limit
# Standard error: bench/measure.py answers bench/run.py one JSON line at a time on standard output, and a logged
# "Not Found" there once broke the exchange.
# bench/pages.py tries every named URL with example arguments and keeps those that answer 200: the misses (such as
# /language/<a Member State's code>/) are not logged as warnings; a server error still is.
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}},
           "root": {"handlers": ["console"], "level": "WARNING"},
           "loggers": {"django.request": {"level": "ERROR"}}}
