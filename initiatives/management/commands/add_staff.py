from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from initiatives.roles import make_staff


class Command(BaseCommand):
    help = "Give USERNAME the Commission staff role."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        make_staff(user)
        self.stdout.write(f"{username} is now Commission staff.")
