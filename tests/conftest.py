"""Shared actors and data for the tests: anonymous, staff_user, liaison_de, liaison_fr, admin_user."""

import os

import pytest
from django.core.management import call_command


def load_real_data():
    call_command("load_real_data", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real, shipped data once per test session; every test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        load_real_data()


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
            load_real_data()


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
