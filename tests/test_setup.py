"""Settings, commands and the pages that exist from the foundation on."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from initiatives.models import Liaison


def run_check(**env):
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="strategy_tracker.settings")
    return subprocess.run([sys.executable, "manage.py", "check"], env=environment, capture_output=True, text=True)


def test_with_debug_off_it_refuses_to_start_without_secret_key():
    result = run_check(DEBUG="false", ALLOWED_HOSTS="tracker.example.eu")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_with_debug_off_it_refuses_to_start_without_allowed_hosts():
    result = run_check(DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0 and "ALLOWED_HOSTS must be set" in result.stderr


def test_an_empty_database_url_means_the_default_sqlite_file():
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environment.update(DATABASE_URL="", DJANGO_SETTINGS_MODULE="strategy_tracker.settings")
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                             "print(settings.DATABASES['default']['ENGINE'])"],
                            env=environment, capture_output=True, text=True)
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr


def test_a_bad_boolean_fails_loudly():
    result = run_check(DEBUG="maybe")
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
def test_demo_accounts_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_accounts")


def test_demo_accounts_have_their_roles(accounts, client):
    assert accounts["admin"].is_superuser
    assert accounts["staff"].groups.filter(name="Commission staff").exists()
    assert Liaison.objects.get(user=accounts["liaison-de"]).member_state.code == "DE"
    assert Liaison.objects.get(user=accounts["liaison-fr"]).member_state.code == "FR"
    response = client.post(reverse("login"), {"username": "liaison-fr", "password": "tracker-demo"})
    assert response.status_code == 302 and response.wsgi_request.user.username == "liaison-fr"


@pytest.mark.django_db
def test_add_liaison_refuses_an_unknown_member_state(accounts):
    with pytest.raises(CommandError, match="not a Member State code"):
        call_command("add_liaison", "staff", member_state="GR")


@pytest.mark.django_db
def test_add_liaison_and_add_staff_assign_roles(accounts):
    call_command("add_liaison", "staff", member_state="el", stdout=open(os.devnull, "w"))
    call_command("add_staff", "liaison-fr", stdout=open(os.devnull, "w"))
    assert Liaison.objects.get(user=accounts["staff"]).member_state.code == "EL"
    assert accounts["liaison-fr"].groups.filter(name="Commission staff").exists()


@pytest.mark.django_db
def test_the_home_page_lists_the_eight_initiatives(client):
    response = client.get("/")
    assert response.status_code == 200
    for title in ["Ensure complete implementation of current legislation (Directive 2011/93/EU)",
                  "Improve protection of children globally through multi-stakeholder cooperation"]:
        assert title in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_initiative_is_a_404(client):
    assert client.get("/initiatives/9/").status_code == 404


ADMIN_MODELS = ["source", "strategy", "initiative", "keyaction", "keyactionevent", "memberstate", "legalact",
                "article", "nationalmeasure", "transpositionreport", "assessment", "infringementprocedure",
                "decision", "liaison"]


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_the_admin_shows_every_model_with_its_filters(client, admin_user, model):
    client.force_login(admin_user)
    response = client.get(reverse(f"admin:initiatives_{model}_changelist"))
    assert response.status_code == 200


def test_the_admin_finds_the_real_data(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:initiatives_decision_changelist") + "?q=INFR(2019)2136")
    assert "Bulgaria" in response.content.decode() or "BG" in response.content.decode()
