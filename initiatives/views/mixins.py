"""Who may see what, checked on the server for every method: staff pages, liaison scope, edit conflicts.

One mixin per role, and the role is checked before anything the URL names is looked up (`load_objects`), so
that an existing and a missing record look the same to whoever lacks the role. Anonymous visitors are sent to
the login page; a logged-in user without the role (a permission the role's group carries, initiatives/roles.py)
gets 403 on the whole workspace; an object outside a liaison's Member State answers 404, "to prevent
information leakage".
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

from initiatives.roles import is_liaison, is_staff_member, liaison_member_state


class RoleRequiredMixin:
    """For every method: log in first, then the role, then the scope, and only then the view's
    `load_objects()`, if it has one: where it looks up what the URL names (get_object_or_404 ...), never in
    `setup()`, which runs before any of this."""

    refusal = ""

    def has_role(self, user) -> bool:
        raise NotImplementedError

    def check_scope(self) -> None:
        """Raise Http404 for what the URL names outside the user's scope (nothing by default)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not self.has_role(request.user):
            raise PermissionDenied(self.refusal)
        self.check_scope()
        if hasattr(self, "load_objects"):
            self.load_objects()
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(RoleRequiredMixin):
    """Commission staff (and superusers) only, for GET and POST alike."""

    refusal = gettext_lazy("The staff workspace is for Commission staff.")

    def has_role(self, user) -> bool:
        return is_staff_member(user)


class LiaisonScopeMixin(RoleRequiredMixin):
    """Member State liaisons only; and a `code` in the URL must be their own Member State's, otherwise 404."""

    refusal = gettext_lazy("The liaison workspace is for Member State liaisons.")

    def has_role(self, user) -> bool:
        return is_liaison(user)

    def check_scope(self) -> None:
        self.member_state = liaison_member_state(self.request.user)
        if "code" in self.kwargs and self.kwargs["code"] != self.member_state.code:
            raise Http404("No such workspace")


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
        form.add_error(None, gettext("Not saved: someone else changed this record while you were editing it. "
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
