"""The Member State liaison workspace at /liaison/: "My Member State", article by article.

Everything is scoped to the liaison's own Member State; any other code in the URL answers 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.generic import FormView, RedirectView, TemplateView

from initiatives import services
from initiatives.choices import ReviewState
from initiatives.forms import LiaisonReportForm
from initiatives.models import LiaisonReport, TranspositionReport, current_version, revisions

from .findings import liaison_articles
from .mixins import ConflictMixin, LiaisonScopeMixin


class LiaisonHomeView(LiaisonScopeMixin, RedirectView):
    """/liaison/ sends a liaison to their own Member State's workspace."""

    http_method_names = ["get", "head", "options"]

    def get_redirect_url(self, *args, **kwargs):
        return reverse("initiatives:liaison_member_state", args=[self.member_state.code])


class LiaisonMemberStateView(LiaisonScopeMixin, TemplateView):
    template_name = "initiatives/liaison/member_state.html"

    def get_context_data(self, **kwargs):
        own = {r.article_id: r for r in LiaisonReport.objects.filter(member_state=self.member_state)}
        published = {r.article_id: r for r in TranspositionReport.objects.published().filter(
            member_state=self.member_state)}
        rows = [{"article": article, "report": own.get(article.pk), "published": published.get(article.pk)}
                for article in liaison_articles()]
        counts = {state: sum(1 for r in own.values() if r.state == state) for state in ReviewState.values}
        return super().get_context_data(member_state=self.member_state, rows=rows, counts=counts,
                                        progress=progress(own.values(), len(rows)), **kwargs)


REPORTED = (ReviewState.SUBMITTED, ReviewState.APPROVED)


def progress(reports, total: int) -> dict:
    """How many articles the liaison has reported (submitted or approved) of `total`."""
    return {"reported": sum(1 for report in reports if report.state in REPORTED), "total": total}


class LiaisonArticleView(LiaisonScopeMixin, ConflictMixin, FormView):
    """The liaison's report on one article: save as draft, or submit for review."""

    template_name = "initiatives/liaison/article_form.html"
    form_class = LiaisonReportForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kwargs_number = kwargs.get("number")

    def get_objects(self):
        if not hasattr(self, "article"):
            self.article = get_object_or_404(liaison_articles(), number=self.kwargs_number)
            self.report = (LiaisonReport.objects.editable_by(self.request.user)
                           .filter(member_state=self.member_state, article=self.article).first()
                           or LiaisonReport(member_state=self.member_state, article=self.article))

    def get_form_kwargs(self):
        self.get_objects()
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.report, member_state=self.member_state)
        kwargs.setdefault("initial", {})["version"] = current_version(self.report)
        return kwargs

    def get_context_data(self, **kwargs):
        self.get_objects()
        published = TranspositionReport.objects.published().filter(
            member_state=self.member_state, article=self.article).prefetch_related("measures").first()
        return super().get_context_data(
            member_state=self.member_state, article=self.article, report=self.report, published=published,
            locked=not self.report.editable_by_liaison, next_article=self.next_article(),
            progress=progress(LiaisonReport.objects.filter(member_state=self.member_state),
                              liaison_articles().count()), **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_objects()
        if not self.report.editable_by_liaison:
            messages.error(request, gettext("This report is waiting for the Commission's review and cannot be "
                                       "changed now."))
            return HttpResponseRedirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        submit = "submit" in self.request.POST
        try:
            report = services.save_liaison_report(form.instance, user=self.request.user, submit=submit,
                                                  version=form.cleaned_data["version"])
        except services.EditConflict as conflict:
            return self.render_conflict(form, conflict)
        except (ValidationError, services.StateError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
            return self.form_invalid(form)
        if submit:
            messages.success(self.request, gettext("Art. %(n)s submitted for review. The Commission will approve it or "
                                              "return it with a comment.") % {"n": self.article.number})
            return HttpResponseRedirect(reverse("initiatives:liaison_member_state", args=[self.member_state.code]))
        messages.success(self.request, gettext("Draft saved. Nothing is published until you submit it and the "
                                          "Commission approves it."))
        following = self.next_article() if "save_next" in self.request.POST else None
        if following is not None:
            return HttpResponseRedirect(reverse("initiatives:liaison_article",
                                                args=[self.member_state.code, following.number]))
        return HttpResponseRedirect(report.get_absolute_url())

    def next_article(self):
        """The article after this one in the workspace's list, or None after the last."""
        return liaison_articles().filter(number__gt=self.article.number).order_by("number").first()


class LiaisonHistoryView(LiaisonScopeMixin, TemplateView):
    template_name = "initiatives/liaison/history.html"

    def get_context_data(self, number, **kwargs):
        article = get_object_or_404(liaison_articles(), number=number)
        report = LiaisonReport.objects.filter(member_state=self.member_state, article=article).first()
        if report is None:
            raise Http404("No report yet")
        return super().get_context_data(member_state=self.member_state, article=article, report=report,
                                        entries=revisions(LiaisonReport, report.pk), **kwargs)


class LiaisonTableView(LiaisonScopeMixin, TemplateView):
    """Every article in one table: see all reports at once and save changes to several as drafts in one go.

    All or nothing: one row that does not validate (or changed meanwhile) and no row is saved; the table comes
    back with the errors beside their rows. A submitted report waits for review and shows read-only."""

    template_name = "initiatives/liaison/articles_table.html"
    TABLE_FIELDS = ("status", "measure_title", "measure_reference", "measure_date", "comment")

    def rows(self, data=None):
        own = {r.article_id: r for r in LiaisonReport.objects.editable_by(self.request.user).filter(
            member_state=self.member_state).select_related("article")}
        rows = []
        for article in liaison_articles():
            report = own.get(article.pk) or LiaisonReport(member_state=self.member_state, article=article)
            form = None
            if report.editable_by_liaison:
                form = LiaisonReportForm(data, instance=report, member_state=self.member_state,
                                         prefix=f"art-{article.number}",
                                         initial={"version": current_version(report)})
                # an empty first choice: a row not started stays empty (and unchanged) until the liaison picks
                choices = [c for c in form.fields["status"].choices if c[0] != ""]
                form.fields["status"].widget = forms.Select(choices=[("", gettext("not reported"))] + choices)
                form.fields["comment"].widget.attrs["rows"] = 2
            fields = [form[name] for name in self.TABLE_FIELDS] if form is not None else []
            rows.append({"article": article, "report": report, "form": form, "fields": fields})
        return rows

    def get_context_data(self, **kwargs):
        rows = kwargs.pop("rows", None) or self.rows()
        return super().get_context_data(member_state=self.member_state, rows=rows,
                                        progress=progress([row["report"] for row in rows], len(rows)), **kwargs)

    def post(self, request, *args, **kwargs):
        rows = self.rows(request.POST)
        changed = [row for row in rows if row["form"] is not None and row["form"].has_changed()
                   and row["form"].add_prefix("version") in request.POST]
        if not changed:
            messages.info(request, gettext("Nothing changed, so nothing was saved."))
            return self.render_to_response(self.get_context_data(rows=rows))
        if not all(row["form"].is_valid() for row in changed):
            messages.error(request, gettext("Nothing was saved: correct the rows marked below, then save again."))
            return self.render_to_response(self.get_context_data(rows=rows, invalid=True))
        try:
            with transaction.atomic():
                for row in changed:
                    services.save_liaison_report(row["form"].instance, user=request.user,
                                                 version=row["form"].cleaned_data["version"])
        except services.EditConflict:
            messages.error(request, gettext("Nothing was saved: someone changed one of these reports while you were "
                                       "editing. The table now shows the current values."))
            return HttpResponseRedirect(request.path)
        except (ValidationError, services.StateError) as error:
            messages.error(request, gettext("Nothing was saved: %(error)s") % {
                "error": "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)})
            return self.render_to_response(self.get_context_data(rows=rows, invalid=True))
        messages.success(request, ngettext(
            "%(n)s draft saved. Nothing is published until you submit it and the Commission approves it.",
            "%(n)s drafts saved. Nothing is published until you submit them and the Commission approves them.",
            len(changed)) % {"n": len(changed)})
        return HttpResponseRedirect(request.path)
