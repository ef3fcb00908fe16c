"""Who may see what, checked on the server for every method: staff pages, liaison scope, edit conflicts.

Anonymous visitors are sent to the login page. A logged-in user without the role gets 403 on a
workspace; an object outside a liaison's Member State answers 404, "to prevent information leakage".
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _g

from initiatives.roles import is_staff_member, liaison_member_state


class StaffRequiredMixin:
    """Commission staff (and superusers) only, for GET and POST alike."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied(_g("The staff workspace is for Commission staff."))
        return super().dispatch(request, *args, **kwargs)


class LiaisonScopeMixin:
    """A liaison's own Member State only: `code` in the URL must be theirs, otherwise 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.member_state = liaison_member_state(request.user)
        if self.member_state is None or kwargs.get("code") != self.member_state.code:
            raise Http404("No such workspace")
        return super().dispatch(request, *args, **kwargs)


class BoundedPaginator(Paginator):
    """A table's paginator for a page size read from the URL (`?per_page=`): kept between 1 and MAX_PER_PAGE,
    so a negative, zero or huge size shows a sensible page instead of failing."""

    MAX_PER_PAGE = 500

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), self.MAX_PER_PAGE), *args, **kwargs)


class ConflictMixin:
    """Turn services.EditConflict into a form error that lists what changed in between (status 409).

    The form keeps what the editor typed and takes the current version, so saving again, after
    reading the changes, is a deliberate choice.
    """

    conflict = None

    def render_conflict(self, form, conflict, version_field="version"):
        self.conflict = conflict
        data = form.data.copy()
        data[form.add_prefix(version_field)] = str(conflict.version)
        form.data = data
        form.add_error(None, _g("Not saved: someone else changed this record while you were editing it. "
                                "Their changes are listed below; yours are still in the form. Check them, "
                                "then save again to replace their values with yours."))
        response = self.render_to_response(self.get_context_data(form=form, conflict=conflict))
        response.status_code = 409
        return response

    def write_or_refuse(self, form, write, *, version_field="version"):
        """Run a service write. Returns (its result, None) when saved, or (None, the form again with the
        reason) when someone changed the record in between or a rule of the record is broken."""
        from initiatives import services

        try:
            return write(), None
        except services.EditConflict as conflict:
            return None, self.render_conflict(form, conflict, version_field)
        except ValidationError as error:
            form.add_error(None, error)
            return None, self.form_invalid(form)
