from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from initiatives.checks import DEMO_USERNAMES


class Command(BaseCommand):
    help = ("Delete the demo accounts (admin, staff, liaison-de, liaison-fr) that create_demo_accounts made, "
            "before serving in production. Their edits stay in the history, without a user name.")

    def handle(self, *args, **options):
        users = get_user_model().objects.filter(username__in=DEMO_USERNAMES)
        names = sorted(users.values_list("username", flat=True))
        users.delete()
        self.stdout.write(f"removed {', '.join(names)}" if names else "no demo account to remove")
