"""Test-only overrides of the one settings module."""

from strategy_tracker.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# Query-count tests must see every query: no page or data cache unless a test turns it on.
PAGE_CACHE_SECONDS = 0
DATA_CACHE_SECONDS = 0
# initiatives/compiled.py: every kept query is also built afresh and compared, so that a builder whose SQL depends
# on more than its arguments fails the tests.
COMPILED_SQL_CHECK = True
