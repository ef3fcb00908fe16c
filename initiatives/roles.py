"""The roles of the tracker: Django groups plus, for a liaison, their Member State.

Each role is a group carrying permissions, and the workspaces check a permission (`has_perm`), not a group
name: STAFF_PERMISSION for the staff workspace, LIAISON_PERMISSION (and a Member State) for the liaison's.
Roles themselves (the groups, the Liaison records) are given and taken by administrators (superusers) only:
no group carries a permission on them. `ensure_groups` runs after every `migrate`, so an existing database
gets the permissions of this version.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

STAFF_GROUP = "Commission staff"
LIAISON_GROUP = "Member State liaisons"
STAFF_PERMISSION = "initiatives.change_assessment"  # the Commission's own assessment: staff work only
LIAISON_PERMISSION = "initiatives.change_liaisonreport"  # a draft is the liaison's: staff review, not edit
ROLE_MODELS = ("liaison",)  # roles: administrators only
LIAISON_CODENAMES = ("add_liaisonreport", "change_liaisonreport", "view_liaisonreport")


def ensure_groups() -> tuple[Group, Group]:
    """Create the two groups with their permissions: staff may change every record of the tracker except the
    roles and a liaison's drafts (they read submitted reports); a liaison writes their reports."""
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    liaisons, _ = Group.objects.get_or_create(name=LIAISON_GROUP)
    app = Permission.objects.filter(content_type__app_label="initiatives")
    staff.permissions.set(app.exclude(content_type__model__in=ROLE_MODELS).exclude(
        codename__in=["add_liaisonreport", "change_liaisonreport", "delete_liaisonreport"]))
    liaisons.permissions.set(app.filter(codename__in=LIAISON_CODENAMES))
    return staff, liaisons


def sync_groups(sender=None, **kwargs) -> None:
    """post_migrate: the groups carry this version's permissions (quietly skipped before auth is migrated)."""
    from django.db import DatabaseError

    try:
        ensure_groups()
    except DatabaseError:
        pass


def is_staff_member(user) -> bool:
    """Commission staff: whoever carries STAFF_PERMISSION (the staff group, and superusers)."""
    return user.is_authenticated and user.is_active and user.has_perm(STAFF_PERMISSION)


def is_liaison(user) -> bool:
    """A Member State liaison: carries LIAISON_PERMISSION and is tied to a Member State."""
    return (user.is_authenticated and user.is_active and user.has_perm(LIAISON_PERMISSION)
            and liaison_member_state(user) is not None)


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
