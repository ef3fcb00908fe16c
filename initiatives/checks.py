"""Production refuses to start while a demo account still has the demo password (issue 12, item 20).

`create_demo_accounts` (which `make run` calls) gives admin, staff, liaison-de and liaison-fr the password
DEMO_PASSWORD. On the same database, `make serve` would otherwise publish those accounts with a password
anyone can read in the README. With DEBUG off, `manage.py migrate` and `check` (a system check, which
`make serve` runs through migrate) and every gunicorn worker (strategy_tracker/wsgi.py) refuse, and say how
to remove the accounts or change their passwords.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEMO_USERNAMES = ("admin", "staff", "liaison-de", "liaison-fr")


def accounts_with_the_demo_password() -> list[str]:
    """The demo accounts whose password is still DEMO_PASSWORD (only those four: checking a password costs a
    deliberately slow hash)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES).order_by("username")
    return [user.get_username() for user in users if user.check_password(settings.DEMO_PASSWORD)]


def demo_password_message(usernames: list[str]) -> str:
    names = " ".join(usernames)
    return (f"Production mode (DEBUG off) refuses to start: the account(s) {', '.join(usernames)} still have the "
            f"demo password, which anyone can read in the README. Remove the demo accounts with "
            f"`python manage.py remove_demo_accounts`, or give each a password of its own with "
            f"`python manage.py changepassword USERNAME` ({names}).")


@checks.register(checks.Tags.security, checks.Tags.database)
def demo_accounts_check(app_configs=None, databases=None, **kwargs):
    if settings.DEBUG or not databases:
        return []
    try:
        usernames = accounts_with_the_demo_password()
    except Exception:  # noqa: BLE001 - no users table yet (before the first migrate): nothing to refuse
        return []
    if not usernames:
        return []
    return [checks.Error(demo_password_message(usernames), id="initiatives.E001")]


def refuse_demo_accounts() -> None:
    """Raise ImproperlyConfigured in production while a demo account has the demo password."""
    if settings.DEBUG:
        return
    usernames = accounts_with_the_demo_password()
    if usernames:
        raise ImproperlyConfigured(demo_password_message(usernames))
