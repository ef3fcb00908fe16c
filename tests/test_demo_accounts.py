"""Production refuses to start while a demo account has the demo password (issue 12, item 20)."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from bench.server import production_env
from initiatives.checks import refuse_demo_accounts

pytestmark = pytest.mark.django_db


def test_in_production_the_checks_refuse_demo_accounts_and_say_how_to_fix_it(accounts, settings):
    settings.DEBUG = False
    with pytest.raises(SystemCheckError) as refused:
        call_command("check", databases=["default"])
    message = str(refused.value)
    assert "admin, liaison-de, liaison-fr, staff" in message
    assert "remove_demo_accounts" in message and "changepassword" in message
    with pytest.raises(ImproperlyConfigured):
        refuse_demo_accounts()


def test_once_every_demo_password_is_changed_production_starts(accounts, settings):
    for user in accounts.values():
        user.set_password("a-password-of-its-own-1")
        user.save()
    settings.DEBUG = False
    call_command("check", databases=["default"])
    refuse_demo_accounts()


def test_remove_demo_accounts_removes_them_and_production_starts(accounts, settings):
    call_command("remove_demo_accounts", stdout=open("/dev/null", "w"))
    settings.DEBUG = False
    call_command("check", databases=["default"])
    refuse_demo_accounts()


def test_in_development_demo_accounts_are_fine(accounts, settings):
    settings.DEBUG = True
    call_command("check", databases=["default"])
    refuse_demo_accounts()


def test_make_serve_stops_at_migrate_and_a_worker_does_not_boot_on_a_database_with_demo_accounts(tmp_path):
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    development = production_env(DEBUG="true", DATABASE_URL=database,
                                 DJANGO_SETTINGS_MODULE="strategy_tracker.settings")
    staff = "from initiatives.roles import make_staff; from django.contrib.auth.models import User; " \
            "make_staff(User.objects.create_user('staff', password='tracker-demo'))"  # as create_demo_accounts does
    for command in (["migrate", "-v0"], ["shell", "-c", staff]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=development, check=True,
                       capture_output=True)
    production = production_env(DATABASE_URL=database, DJANGO_SETTINGS_MODULE="strategy_tracker.settings")
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=settings.BASE_DIR,
                             env=production, capture_output=True, text=True)
    assert migrate.returncode != 0 and "still have the demo password" in migrate.stderr
    worker = subprocess.run([sys.executable, "-c", "import strategy_tracker.wsgi"], cwd=settings.BASE_DIR,
                            env=production, capture_output=True, text=True)
    assert worker.returncode != 0 and "remove_demo_accounts" in worker.stderr
