import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategy_tracker.settings")
application = get_wsgi_application()


def _refuse_demo_accounts() -> None:
    """Production (DEBUG off) does not serve while a demo account has the demo password (initiatives/checks.py)."""
    from django.db import connections

    from initiatives.checks import refuse_demo_accounts

    try:
        refuse_demo_accounts()
    finally:
        connections.close_all()


_refuse_demo_accounts()
