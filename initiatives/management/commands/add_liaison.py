from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from initiatives.models import MemberState
from initiatives.roles import make_liaison


class Command(BaseCommand):
    help = "Make USERNAME the liaison of one Member State (EU code, e.g. DE or EL)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--member-state", required=True, help="EU code, e.g. DE, FR, EL")

    def handle(self, *args, username, member_state, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not MemberState.objects.filter(code=member_state.upper()).exists():
            known = ", ".join(MemberState.objects.values_list("code", flat=True))
            raise CommandError(f"{member_state!r} is not a Member State code. Known codes: {known}.")
        make_liaison(user, member_state)
        self.stdout.write(f"{username} is now the liaison for {member_state.upper()}.")
