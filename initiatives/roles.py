"""The roles of the tracker: Django groups plus, for a liaison, their Member State."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

STAFF_GROUP = "Commission staff"
LIAISON_GROUP = "Member State liaisons"


def ensure_groups() -> tuple[Group, Group]:
    """Create the two groups; staff may change every record of the tracker (the app's permissions)."""
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    liaisons, _ = Group.objects.get_or_create(name=LIAISON_GROUP)
    staff.permissions.set(Permission.objects.filter(content_type__app_label="initiatives"))
    return staff, liaisons


def is_staff_member(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=STAFF_GROUP).exists())


@transaction.atomic
def make_staff(user) -> None:
    staff, _ = ensure_groups()
    user.groups.add(staff)


@transaction.atomic
def make_liaison(user, member_state_code: str) -> None:
    """Make `user` the liaison of one Member State (replacing any earlier one); raise on an unknown code."""
    from initiatives.models import Liaison, MemberState

    member_state = MemberState.objects.get(code=member_state_code.upper())
    _, liaisons = ensure_groups()
    user.groups.add(liaisons)
    Liaison.objects.update_or_create(user=user, defaults={"member_state": member_state})


def liaison_member_state(user):
    """The Member State a liaison reports for, or None for anyone who is not a liaison."""
    if not user.is_authenticated:
        return None
    liaison = getattr(user, "liaison", None)
    return liaison.member_state if liaison is not None else None
