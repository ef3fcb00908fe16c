"""Where a person lands after logging in: their own work, not the public overview.

Django's LoginView sends to a safe `?next=` first; with none, to LOGIN_REDIRECT_URL, which is `after_login`:
staff to /staff/, a liaison to their Member State's workspace (/liaison/), anyone else to the overview.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from initiatives.roles import is_staff_member, liaison_member_state


@require_safe
@login_required
def after_login(request):
    if is_staff_member(request.user):
        return redirect("initiatives:staff_home")
    if liaison_member_state(request.user) is not None:
        return redirect("initiatives:liaison_home")
    return redirect("initiatives:overview")
