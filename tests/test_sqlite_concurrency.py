"""Two saves at the same moment on SQLite (the default of `make run` and `make serve`): the later one waits for
the earlier one and then sees it, so the app answers it with the 409 and the list of changes, never with a
500 "database is locked".

SQLite starts a transaction's writes lazily by default: two saves that have both read the record's version
cannot both write, and the second one's write fails at once with "database is locked" (SQLite does not wait
for a lock that could deadlock). Starting write transactions immediately (DATABASES OPTIONS
transaction_mode IMMEDIATE) makes the second save wait at its start, read the version the first one wrote,
and refuse (services.EditConflict -> 409).
"""

import sqlite3
import threading
import time

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction

pytestmark = pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
                                reason="SQLite only")


def test_sqlite_write_transactions_start_immediately_and_wait_for_a_lock():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    # A save takes milliseconds; the wait is bounded well below gunicorn's 30-second timeout.
    assert 5 <= options["timeout"] < 30


@pytest.fixture
def two_connections(tmp_path, django_db_blocker):
    """Two connections to one SQLite file, set up as the app's own (settings.DATABASES, OPTIONS included)."""
    path = tmp_path / "race.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE record (id INTEGER PRIMARY KEY, version INTEGER, text TEXT)")
        db.execute("INSERT INTO record VALUES (1, 1, 'shipped')")
    aliases = ["race_a", "race_b"]
    for alias in aliases:
        connections.settings[alias] = {**settings.DATABASES["default"], "NAME": str(path), "TEST": {}}
    with django_db_blocker.unblock():
        yield aliases
    for alias in aliases:
        connections[alias].close()
        del connections.settings[alias]


def save(alias, text, seen_version, results, inside=None, wait_for=None):
    """What services do: in one transaction, check the version the editor started from, then write."""
    try:
        if wait_for is not None:
            wait_for.wait(5)
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SELECT version FROM record WHERE id = 1")
            version = cursor.fetchone()[0]
            if inside is not None:
                inside.set()
                time.sleep(0.5)  # the other save arrives now
            if version != seen_version:
                results[alias] = "conflict"  # EditConflict: the 409 with what changed
                return
            cursor.execute("UPDATE record SET version = version + 1, text = %s WHERE id = 1", [text])
        results[alias] = "saved"
    except OperationalError as error:  # the 500
        results[alias] = f"error: {error}"
    except Exception as error:  # noqa: BLE001 - shown in the assertion
        results[alias] = f"unexpected: {error!r}"
    finally:
        connections[alias].close()


def test_two_saves_at_the_same_moment_the_later_gets_a_conflict_not_database_is_locked(two_connections):
    first, second = two_connections
    results = {}
    inside = threading.Event()
    staff = threading.Thread(target=save, args=(first, "staff's text", 1, results), kwargs={"inside": inside})
    admin = threading.Thread(target=save, args=(second, "admin's text", 1, results), kwargs={"wait_for": inside})
    staff.start()
    admin.start()
    staff.join(10)
    admin.join(10)
    assert results == {first: "saved", second: "conflict"}
