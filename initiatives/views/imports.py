"""Upload pages: staff import infringement decisions, transposition reports and key-action events; a liaison
imports their own Member State's transposition as draft reports for the Commission's review.

Two steps. The upload runs the import in a transaction that is always rolled back (the preview: what would
be created, updated and left unchanged, and every rejected row). The file then waits in the database
(models.PendingImport), which every app server shares, under a random token that only the same user, in the
same login session and workspace, may apply, for a day. "Apply" runs the same import again and keeps it only
if no row is rejected (all or nothing), removing the waiting file in the same transaction, so that it is
applied at most once. The stored file's SHA-256 is checked, so what is applied is what was previewed.
"""

from __future__ import annotations

import hashlib
import re
import secrets

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, View

from initiatives import exports
from initiatives.importers import KINDS, LIAISON_KIND, REGISTER_KIND, run_import
from initiatives.importers.tabular import MAX_BYTES
from initiatives.models import PendingImport
from initiatives.roles import liaison_member_state

from .mixins import LiaisonScopeMixin, StaffRequiredMixin

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


REGISTER_LABEL = gettext_lazy("a copy of the Commission's register of infringement decisions")


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"),
                             choices=[*[(name, kind.label) for name, kind in KINDS.items()],
                                      (REGISTER_KIND, REGISTER_LABEL)])
    taken_on = forms.DateField(
        label=gettext_lazy("Day the copy was taken (a copy of the register only)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("The register prints no date of its own: the day the copy was exported or saved."))
    file = forms.FileField(label=gettext_lazy("File (.csv in UTF-8, or .xlsx; .json for a copy of the register)"),
                           help_text=gettext_lazy("At most 5 MB. The first row names the columns."))

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is None:
            del self.fields["kind"]
            del self.fields["taken_on"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == REGISTER_KIND:
            taken_on = cleaned.get("taken_on")
            if taken_on is None and "taken_on" not in self.errors:
                self.add_error("taken_on", _("Give the day the copy of the register was taken."))
            elif taken_on is not None and taken_on > timezone.localdate():
                self.add_error("taken_on", _("%(day)s is in the future.") % {"day": taken_on.isoformat()})
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is %(size)s bytes; the limit is %(limit)s bytes.") % {
                "size": upload.size, "limit": MAX_BYTES})
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class ImportView(FormView):
    """The upload form, its preview (POST with a file) and its application (POST with a token)."""

    form_class = UploadForm
    template_name = "initiatives/imports/import.html"
    workspace = "staff"

    # --- who may import what: overridden for the liaison page ---
    def kinds(self):
        return KINDS

    def member_state(self):
        return None

    def import_kind(self, form) -> str:
        return form.cleaned_data["kind"]

    # --- the two steps ---
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "kinds": self.kinds()}

    def post(self, request, *args, **kwargs):
        if "token" in request.POST:
            return self.apply(request.POST["token"])
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        kind = self.import_kind(form)
        taken_on = form.cleaned_data.get("taken_on")
        result = run_import(kind, data, upload.name, dry_run=True, member_state=self.member_state(),
                            taken_on=taken_on, user=self.request.user)
        token = None
        if result.ok:
            token = self.keep(kind, upload.name, data, taken_on)
        return self.render_to_response(self.get_context_data(
            form=self.get_form_class()(kinds=self.kinds(), initial={"kind": kind}), result=result, token=token,
            filename=upload.name,
            kind_label=self.kind_label(kind), preview=True))

    def keep(self, kind: str, filename: str, data: bytes, taken_on=None) -> str:
        """Keep the previewed file where every app server finds it; forget the uploads that have expired."""
        session = self.request.session
        if session.session_key is None:  # a logged-in user has one; this is only a safeguard
            session.save()
        PendingImport.objects.expired().delete()
        token = secrets.token_urlsafe(24)
        PendingImport.objects.create(
            token=token, user=self.request.user, session_key=session.session_key, workspace=self.workspace,
            kind=kind, filename=filename, taken_on=taken_on, sha256=hashlib.sha256(data).hexdigest(), data=data)
        return token

    def apply(self, token: str):
        if not TOKEN_RE.match(token or ""):
            return self.not_waiting()
        with transaction.atomic():
            # Locked until this transaction ends: a second "Apply" of the same token, on any server, waits,
            # then finds it gone.
            entry = PendingImport.objects.waiting().select_for_update().filter(
                token=token, user=self.request.user, session_key=self.request.session.session_key or "",
                workspace=self.workspace).first()
            if entry is None:
                PendingImport.objects.expired().delete()
                return self.not_waiting()
            data = bytes(entry.data)
            if hashlib.sha256(data).hexdigest() != entry.sha256:
                messages.error(self.request, _("The stored file changed since its preview; nothing was written. "
                                               "Upload it again."))
                return redirect(self.request.path)
            reason = _("import of %(file)s by %(user)s") % {"file": entry.filename,
                                                            "user": self.request.user.get_username()}
            if entry.taken_on is not None:  # the public change list names the copy, never the file or the user
                reason += f" (register copy of {entry.taken_on.isoformat()})"
            result = run_import(entry.kind, data, entry.filename, dry_run=False, member_state=self.member_state(),
                                reason=reason, taken_on=entry.taken_on, user=self.request.user)
            if result.ok:
                entry.delete()
        if not result.ok:  # the data changed since the preview: show why, keep the file for another try
            return self.render_to_response(self.get_context_data(
                result=result, token=None, filename=entry.filename, kind_label=self.kind_label(entry.kind),
                preview=True))
        messages.success(self.request, _("%(file)s imported: %(summary)s.") % {
            "file": entry.filename, "summary": result.summary()})
        return self.render_to_response(self.get_context_data(
            result=result, filename=entry.filename, kind_label=self.kind_label(entry.kind), applied=True))

    def not_waiting(self):
        messages.error(self.request, _("That upload is no longer waiting (it was applied, or it expired). "
                                       "Upload the file again."))
        return redirect(self.request.path)

    def kind_label(self, kind: str) -> str:
        if kind == REGISTER_KIND:
            return str(REGISTER_LABEL)
        return str(KINDS[kind].label) if kind in KINDS else _("draft transposition reports")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(workspace=self.workspace, max_megabytes=MAX_BYTES // (1024 * 1024),
                       formats=self.formats(), member_state=self.member_state())
        return context

    def formats(self):
        """What each kind of file holds, column by column, with a link to the current data in that format."""
        return [{"name": name, "label": kind.label, "columns": kind.columns,
                 "required": sorted(kind.module.REQUIRED),
                 "export": reverse("initiatives:staff_import_export", args=[name])} for name, kind in KINDS.items()]


class StaffImportView(StaffRequiredMixin, ImportView):
    pass


class LiaisonImportView(LiaisonScopeMixin, ImportView):
    """A liaison's own Member State only; anyone else who is logged in gets 403, as on the whole workspace."""

    workspace = "liaison"

    def check_scope(self) -> None:  # `member_state` is a method here
        self._member_state = liaison_member_state(self.request.user)

    def kinds(self):
        return None

    def member_state(self):
        return self._member_state

    def import_kind(self, form) -> str:
        return LIAISON_KIND

    def formats(self):
        from initiatives.importers import transposition

        return [{"name": LIAISON_KIND, "label": _("draft transposition reports"),
                 "columns": transposition.LIAISON_COLUMNS, "required": sorted(transposition.LIAISON_REQUIRED),
                 "export": reverse("initiatives:liaison_import_export")}]


class StaffExportView(StaffRequiredMixin, View):
    """The current published data of one kind, in its import format (CSV; ?format=xlsx or json)."""

    http_method_names = ["get", "head"]  # an export only reads

    def get(self, request, kind):
        fmt = request.GET.get("format", "csv")
        if kind not in KINDS or fmt not in exports.FORMATS:
            raise Http404("No such export")
        from initiatives.models import KeyAction, TranspositionReport, decisions_of_published_procedures

        if kind == "infringements":
            dataset = exports.infringement_dataset(decisions_of_published_procedures())
        elif kind == "events":
            dataset = exports.event_dataset(KeyAction.objects.published())
        elif kind == "findings":
            from initiatives.importers import findings
            from initiatives.models import ArticleFinding

            dataset = exports.build_dataset(findings.COLUMNS, findings.export_rows(
                ArticleFinding.objects.published().select_related("member_state").prefetch_related("sources")),
                title="findings")
        elif kind == "legislation":
            from initiatives.importers import legislation
            from initiatives.models import LegislativeFile

            dataset = exports.build_dataset(legislation.COLUMNS, legislation.export_rows(
                LegislativeFile.objects.published().with_related()), title="legislation")
        else:
            dataset = exports.transposition_dataset(TranspositionReport.objects.published())
        return exports.response(dataset, fmt, kind)


class LiaisonExportView(LiaisonScopeMixin, View):
    """The liaison's own draft reports in the liaison import format: fill it in and upload it again."""

    http_method_names = ["get", "head"]  # an export only reads

    def get(self, request):
        fmt = request.GET.get("format", "csv")
        if fmt not in exports.FORMATS:
            raise Http404("No such export")
        from initiatives.importers import transposition
        from initiatives.models import LiaisonReport

        reports = LiaisonReport.objects.filter(member_state=self.member_state).select_related(
            "member_state", "article").order_by("article__number")
        dataset = exports.build_dataset(transposition.LIAISON_COLUMNS, transposition.liaison_export_rows(reports),
                                        title="drafts")
        return exports.response(dataset, fmt, f"transposition-{self.member_state.code}")


staff_export = StaffExportView.as_view()
liaison_export = LiaisonExportView.as_view()
