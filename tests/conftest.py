"""Shared actors and data for the tests: anonymous, staff_user, liaison_de, liaison_fr, admin_user."""

import os

import pytest
from django.core.management import call_command


def load_real_data():
    call_command("load_real_data", verbosity=0, stdout=open(os.devnull, "w"))


class Snapshot:
    """Every table's rows just after the shipped data was loaded, to put back after a flush.

    Transactional tests (the browser tests' live server) flush the database when they end. Loading the
    shipped data again reads and reconciles every file (seconds); putting these rows back is one bulk
    insert per table. The rows are the loader's own output, so a test after a flush sees exactly what a
    test before it saw: `test_after_a_browser_test_the_real_data_is_back` checks it.
    """

    def __init__(self):
        from django.apps import apps

        self.rows = {}
        for model in apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed:
                continue
            rows = list(model._base_manager.using("default").order_by("pk").values())
            if rows:
                self.rows[model] = rows

    def restore(self):
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.color import no_style
        from django.db import connection, transaction

        with transaction.atomic(), connection.constraint_checks_disabled():
            # post_migrate re-creates content types and permissions after a flush, under new ids: the
            # snapshot's rows replace them so that every reference to them holds.
            for model in self.rows:
                model._base_manager.all()._raw_delete(connection.alias)
            for model, rows in self.rows.items():
                model._base_manager.bulk_create([model(**row) for row in rows], batch_size=500)
            statements = connection.ops.sequence_reset_sql(no_style(), list(self.rows))
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        ContentType.objects.clear_cache()


_snapshot = None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real, shipped data once per test session; every test runs in a rolled-back transaction."""
    global _snapshot
    with django_db_blocker.unblock():
        load_real_data()
        _snapshot = Snapshot()


@pytest.fixture(autouse=True)
def _real_data_present(request, django_db_blocker):
    """Transactional tests (the browser tests' live server) flush the database when they end: reload the
    shipped data before the next test that uses the database, outside its transaction."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("django_db_setup")
    from initiatives.models import MemberState

    with django_db_blocker.unblock():
        if not MemberState.objects.exists():
            _snapshot.restore()


@pytest.fixture
def real_data(db):
    return None


@pytest.fixture
def accounts(db, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))
    from django.contrib.auth import get_user_model

    return {user.username: user for user in get_user_model().objects.all()}


@pytest.fixture
def staff_user(accounts):
    return accounts["staff"]


@pytest.fixture
def liaison_de(accounts):
    return accounts["liaison-de"]


@pytest.fixture
def liaison_fr(accounts):
    return accounts["liaison-fr"]


@pytest.fixture
def admin_user(accounts):
    return accounts["admin"]


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request to a /fr/ or /de/ page activates that language in the thread and nothing turns it off
    (LocaleMiddleware activates per request, as a server does): every test starts and ends in English, so no
    test reads another's language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_page_frames():
    """base.html keeps each process's rendered page frames (the "fragments" cache): a test that changes a
    translation, a setting or the day starts from none."""
    from django.core.cache import caches

    caches["fragments"].clear()


@pytest.fixture(autouse=True)
def _fresh_compiled_queries(request):
    """A test that patches what a kept query's builder reads (a `published()`, say) starts and ends with no query
    kept (initiatives/compiled.py): the SQL compiled under its patch serves no other test, and no other test's SQL
    serves it."""
    if "monkeypatch" not in request.fixturenames:
        yield
        return
    from initiatives import compiled

    compiled.forget()
    yield
    compiled.forget()
