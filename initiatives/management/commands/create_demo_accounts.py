from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from initiatives.roles import ensure_groups, make_liaison, make_staff


class Command(BaseCommand):
    help = ("Create the demo accounts admin, staff, liaison-de and liaison-fr with the password from "
            "DEMO_PASSWORD (default tracker-demo). Refused when DEBUG is off.")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: refused because DEBUG is off.")
        from django.contrib.auth import get_user_model

        User = get_user_model()
        ensure_groups()
        password = settings.DEMO_PASSWORD

        def account(username, **flags):
            user, created = User.objects.get_or_create(username=username, defaults=flags)
            for name, value in flags.items():
                setattr(user, name, value)
            user.set_password(password)
            user.save()
            self.stdout.write(f"{'created' if created else 'updated'} {username}")
            return user

        account("admin", is_staff=True, is_superuser=True, email="admin@example.org")
        make_staff(account("staff", is_staff=True, email="staff@example.org"))
        make_liaison(account("liaison-de", email="liaison-de@example.org"), "DE")
        make_liaison(account("liaison-fr", email="liaison-fr@example.org"), "FR")
