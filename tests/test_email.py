"""Email from the environment (issue 12, item 21): the console in development, SMTP in production."""

import pytest
from django.core import mail

from tests.test_production import settings_in_production

SHOW = ('print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, '
        'settings.DEFAULT_FROM_EMAIL, settings.SERVER_EMAIL)')


def test_in_development_mails_are_written_to_the_console():
    result = settings_in_production(SHOW, DEBUG="true")
    assert result.stdout.split()[0] == "django.core.mail.backends.console.EmailBackend", result.stderr


def test_in_production_mails_go_through_smtp_on_this_machine_by_default():
    result = settings_in_production(SHOW)
    assert result.stdout.split()[:4] == ["django.core.mail.backends.smtp.EmailBackend", "localhost", "25",
                                         "False"], result.stderr


def test_in_production_the_smtp_server_and_sender_come_from_the_environment():
    result = settings_in_production(SHOW + '; print(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)',
                                    EMAIL_HOST="smtp.example.eu", EMAIL_PORT="587", EMAIL_USE_TLS="true",
                                    EMAIL_HOST_USER="tracker", EMAIL_HOST_PASSWORD="secret",
                                    DEFAULT_FROM_EMAIL="tracker@example.eu")
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.eu", "587", "True",
                                     "tracker@example.eu", "tracker@example.eu", "tracker", "secret"], result.stderr


@pytest.mark.parametrize("env,message", [({"EMAIL_PORT": "smtp"}, "EMAIL_PORT"),
                                         ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_SSL")])
def test_a_bad_email_setting_stops_the_start_with_its_name(env, message):
    result = settings_in_production("print(settings.EMAIL_PORT)", **env)
    assert result.returncode != 0 and message in result.stderr


@pytest.mark.django_db
def test_a_password_reset_mail_is_sent_from_the_configured_address(client, staff_user, settings):
    settings.DEFAULT_FROM_EMAIL = "tracker@example.eu"
    response = client.post("/accounts/password_reset/", {"email": "staff@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["staff@example.org"] and mail.outbox[0].from_email == "tracker@example.eu"
