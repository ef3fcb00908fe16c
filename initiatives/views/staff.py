"""The Commission staff workspace at /staff/: key actions and their events, infringement procedures,
the Commission's assessments, the review queue of liaison reports, and every record's history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from initiatives import services, state
from initiatives.choices import KeyActionStatus, ProcedureState, ReviewState
from initiatives.forms import (
    AssessmentForm,
    CloseProcedureForm,
    DecisionForm,
    DeleteForm,
    EventForm,
    KeyActionForm,
    ProcedureOpenForm,
    ReviewForm,
)
from initiatives.models import (
    Assessment,
    Decision,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    LegislativeStage,
    LiaisonReport,
    MemberState,
    NationalMeasure,
    TranspositionReport,
    current_version,
    revisions,
)
from initiatives.models.review import HISTORY_HIDDEN_FROM_STAFF
from initiatives.models.transposition import directive_articles

from .mixins import ConflictMixin, StaffRequiredMixin

# The records whose history staff can read, by the name used in the URL.
HISTORY_MODELS = {
    "key-action": KeyAction,
    "event": KeyActionEvent,
    "procedure": InfringementProcedure,
    "decision": Decision,
    "assessment": Assessment,
    "transposition-report": TranspositionReport,
    "national-measure": NationalMeasure,
    "liaison-report": LiaisonReport,
    "legislative-stage": LegislativeStage,
}


def history_url(instance) -> str:
    kind = next(kind for kind, model in HISTORY_MODELS.items() if isinstance(instance, model))
    return reverse("initiatives:staff_history", args=[kind, instance.pk])


class StaffHomeView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            awaiting_review=LiaisonReport.objects.awaiting_review().count(),
            open_procedures=state.procedures().filter(state=ProcedureState.OPEN).count(),
            key_actions=KeyAction.objects.count(),
            **kwargs)


class KeyActionListView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/key_action_list.html"

    def get_context_data(self, **kwargs):
        events = KeyActionEvent.objects.filter(key_action=OuterRef("pk")).order_by().values("key_action")
        actions = (KeyAction.objects.select_related("initiative").with_last_changed()
                   .annotate(event_count=Subquery(events.annotate(n=Count("pk")).values("n")[:1])))
        return super().get_context_data(actions=actions, **kwargs)


class KeyActionUpdateView(StaffRequiredMixin, ConflictMixin, FormView):
    template_name = "initiatives/staff/key_action_form.html"
    form_class = KeyActionForm

    def load_objects(self):
        self.action = get_object_or_404(KeyAction.objects.select_related("initiative"), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.action
        kwargs.setdefault("initial", {})["version"] = current_version(self.action)
        return kwargs

    def get_context_data(self, **kwargs):
        events = self.action.events.prefetch_related("sources").order_by("-date", "-id")
        return super().get_context_data(action=self.action, events=events,
                                        history_url=history_url(self.action), **kwargs)

    def form_valid(self, form):
        action, refused = self.write_or_refuse(form, lambda: services.save_key_action(
            form.instance, user=self.request.user, reason=form.cleaned_data["reason"],
            version=form.cleaned_data["version"]))
        if refused:
            return refused
        if action.status == KeyActionStatus.DELIVERED_LATE and form.cleaned_data["status"] == KeyActionStatus.DELIVERED:
            messages.info(self.request, gettext("Delivered after its deadline: saved as “delivered late”."))
        messages.success(self.request, gettext("Key action %(code)s saved.") % {"code": action})
        return HttpResponseRedirect(reverse("initiatives:staff_key_action", args=[action.pk]))


class EventFormView(StaffRequiredMixin, ConflictMixin, FormView):
    template_name = "initiatives/staff/event_form.html"
    form_class = EventForm

    def load_objects(self):
        if "event_pk" in self.kwargs:
            self.event = get_object_or_404(KeyActionEvent.objects.select_related("key_action__initiative"),
                                           pk=self.kwargs["event_pk"])
            self.action = self.event.key_action
        else:
            self.action = get_object_or_404(KeyAction.objects.select_related("initiative"), pk=self.kwargs["pk"])
            self.event = KeyActionEvent(key_action=self.action)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.event
        kwargs.setdefault("initial", {})["version"] = current_version(self.event)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, event=self.event, **kwargs)

    def form_valid(self, form):
        _event, refused = self.write_or_refuse(form, lambda: services.save_event(
            form.instance, user=self.request.user, citations=form.cleaned_data["sources"],
            reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]))
        if refused:
            return refused
        messages.success(self.request, gettext("Event saved."))
        return HttpResponseRedirect(reverse("initiatives:staff_key_action", args=[self.action.pk]))


class EventDeleteView(StaffRequiredMixin, ConflictMixin, FormView):
    template_name = "initiatives/staff/event_delete.html"
    form_class = DeleteForm

    def load_objects(self):
        self.event = get_object_or_404(KeyActionEvent.objects.select_related("key_action__initiative"),
                                       pk=self.kwargs["event_pk"])

    def get_initial(self):
        return {"version": current_version(self.event)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(event=self.event, action=self.event.key_action, **kwargs)

    def form_valid(self, form):
        action = self.event.key_action
        try:
            services.delete_event(self.event, user=self.request.user, reason=form.cleaned_data["reason"],
                                  version=form.cleaned_data["version"])
        except services.EditConflict as conflict:
            return self.render_conflict(form, conflict)
        messages.success(self.request, gettext("Event removed. Its history is kept."))
        return HttpResponseRedirect(reverse("initiatives:staff_key_action", args=[action.pk]))


class ProcedureListView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/procedure_list.html"

    def get_context_data(self, **kwargs):
        procedures = (state.procedures(queryset=InfringementProcedure.objects.all())
                      .select_related("member_state", "legal_act").order_by("member_state__protocol_order", "id"))
        return super().get_context_data(procedures=procedures, **kwargs)


class ProcedureCreateView(StaffRequiredMixin, FormView):
    template_name = "initiatives/staff/procedure_open.html"
    form_class = ProcedureOpenForm

    def form_valid(self, form):
        try:
            procedure = services.open_procedure(
                form.instance, letter_date=form.cleaned_data["letter_date"], citations=form.cleaned_data["sources"],
                articles=form.cleaned_data["articles"], user=self.request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Procedure opened with its letter of formal notice."))
        return HttpResponseRedirect(reverse("initiatives:staff_procedure", args=[procedure.pk]))


class ProcedureMixin:
    def load_objects(self):
        self.procedure = get_object_or_404(
            InfringementProcedure.objects.select_related("member_state", "legal_act").prefetch_related(
                "articles", Prefetch("decisions", queryset=Decision.objects.prefetch_related("sources"))),
            pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        decisions = list(self.procedure.decisions.all())
        current = state.procedures(queryset=InfringementProcedure.objects.filter(pk=self.procedure.pk)).first()
        return super().get_context_data(
            procedure=self.procedure, decisions=decisions,
            is_closed=current is not None and current.state == ProcedureState.CLOSED,
            state_line=state.describe_state(current) if current is not None else "",
            history_url=history_url(self.procedure), **kwargs)


class DecisionCreateView(StaffRequiredMixin, ProcedureMixin, ConflictMixin, FormView):
    """The procedure page: its decisions, the form for the next one and the form to close it."""

    template_name = "initiatives/staff/procedure_detail.html"
    form_class = DecisionForm
    success_message = _("Decision added.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "procedure": self.procedure}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if isinstance(form, CloseProcedureForm):
            context["close_form"], context["form"] = form, DecisionForm(procedure=self.procedure, prefix=None)
        else:
            context["close_form"] = CloseProcedureForm(procedure=self.procedure, prefix="close")
        return context

    def form_valid(self, form):
        _decision, refused = self.write_or_refuse(form, lambda: services.add_decision(
            form.instance, user=self.request.user, citations=form.cleaned_data["sources"],
            after_position=form.cleaned_data["after_position"], reason=form.cleaned_data["reason"]),
            version_field="after_position")
        if refused:
            return refused
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(reverse("initiatives:staff_procedure", args=[self.procedure.pk]))


class ProcedureCloseView(DecisionCreateView):
    form_class = CloseProcedureForm
    success_message = _("Procedure closed.")

    def get_prefix(self):
        return "close"


class AssessmentMemberStatesView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/assessment_member_states.html"

    def get_context_data(self, **kwargs):
        member_states = MemberState.objects.annotate(
            assessed=Count("assessments", distinct=True),
            reported=Count("reports", distinct=True),
            awaiting=Count("liaison_reports", filter=Q(liaison_reports__state=ReviewState.SUBMITTED), distinct=True))
        return super().get_context_data(member_states=member_states, **kwargs)


class AssessmentArticlesView(StaffRequiredMixin, TemplateView):
    """One Member State, article by article: what it reports, what is pending, what the Commission assessed."""

    template_name = "initiatives/staff/assessment_articles.html"

    def get_context_data(self, code, **kwargs):
        member_state = get_object_or_404(MemberState, code=code)
        reports = {r.article_id: r for r in TranspositionReport.objects.filter(member_state=member_state)}
        assessments = {a.article_id: a for a in Assessment.objects.filter(member_state=member_state)}
        pending = {r.article_id: r for r in LiaisonReport.objects.seen_by_staff().filter(member_state=member_state)}
        rows = []
        for article in directive_articles():
            report, assessment = reports.get(article.pk), assessments.get(article.pk)
            rows.append({"article": article, "report": report, "assessment": assessment,
                         "liaison_report": pending.get(article.pk),
                         "disagree": bool(report and report.disagrees_with(assessment))})
        return super().get_context_data(member_state=member_state, rows=rows, **kwargs)


class AssessmentUpdateView(StaffRequiredMixin, ConflictMixin, FormView):
    template_name = "initiatives/staff/assessment_form.html"
    form_class = AssessmentForm

    def load_objects(self):
        self.member_state = get_object_or_404(MemberState, code=self.kwargs["code"])
        self.article = get_object_or_404(directive_articles(), number=self.kwargs["number"])
        self.assessment = (Assessment.objects.filter(member_state=self.member_state, article=self.article).first()
                           or Assessment(member_state=self.member_state, article=self.article))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.assessment
        kwargs.setdefault("initial", {})["version"] = current_version(self.assessment)
        return kwargs

    def get_context_data(self, **kwargs):
        report = TranspositionReport.objects.filter(member_state=self.member_state, article=self.article).first()
        return super().get_context_data(
            member_state=self.member_state, article=self.article, report=report, assessment=self.assessment,
            history_url=history_url(self.assessment) if self.assessment.pk else None, **kwargs)

    def form_valid(self, form):
        _assessment, refused = self.write_or_refuse(form, lambda: services.set_assessment(
            form.instance, user=self.request.user, citations=form.cleaned_data["sources"],
            reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]))
        if refused:
            return refused
        messages.success(self.request, gettext("Assessment of Art. %(n)s for %(ms)s saved.") % {
            "n": self.article.number, "ms": self.member_state.display_name})
        return HttpResponseRedirect(reverse("initiatives:staff_assessment_articles", args=[self.member_state.code]))


class ReviewQueueView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/review_queue.html"

    def get_context_data(self, **kwargs):
        queue = (LiaisonReport.objects.awaiting_review().select_related("member_state", "article", "submitted_by")
                 .order_by("submitted_at", "id"))
        recent = (LiaisonReport.objects.filter(state__in=[ReviewState.APPROVED, ReviewState.RETURNED])
                  .select_related("member_state", "article", "reviewed_by").order_by("-reviewed_at", "-id")[:10])
        return super().get_context_data(queue=queue, recent=recent, **kwargs)


class ReviewView(StaffRequiredMixin, ConflictMixin, FormView):
    template_name = "initiatives/staff/review_form.html"
    form_class = ReviewForm

    def load_objects(self):
        self.report = get_object_or_404(LiaisonReport.objects.with_related().seen_by_staff(), pk=self.kwargs["pk"])

    def get_initial(self):
        return {"version": current_version(self.report)}

    def get_context_data(self, **kwargs):
        published = self.report.published or TranspositionReport.objects.filter(
            member_state=self.report.member_state, article=self.report.article).first()
        assessment = Assessment.objects.filter(member_state=self.report.member_state,
                                               article=self.report.article).first()
        return super().get_context_data(report=self.report, published=published, assessment=assessment,
                                        reviewable=self.report.state == ReviewState.SUBMITTED,
                                        history_url=history_url(self.report), **kwargs)

    def form_valid(self, form):
        version = form.cleaned_data["version"]
        try:
            if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                services.approve_liaison_report(self.report, user=self.request.user, version=version,
                                                comment=form.cleaned_data["review_comment"])
                messages.success(self.request, gettext("Approved: %(ms)s, Art. %(n)s is now published.") % {
                    "ms": self.report.member_state.display_name, "n": self.report.article.number})
            else:
                services.return_liaison_report(self.report, user=self.request.user, version=version,
                                               comment=form.cleaned_data["review_comment"])
                messages.success(self.request, gettext("Returned to the liaison with your comment."))
        except services.EditConflict as conflict:
            return self.render_conflict(form, conflict)
        except services.StateError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return HttpResponseRedirect(reverse("initiatives:staff_reviews"))


class HistoryView(StaffRequiredMixin, TemplateView):
    """Every change of one record, newest first: who, when, why, and each field's old and new value."""

    template_name = "initiatives/staff/history.html"

    def get_context_data(self, kind, pk, **kwargs):
        model = HISTORY_MODELS.get(kind)
        if model is None:
            raise Http404("No such kind of record")
        # A liaison's report as they submitted it, never their drafts.
        entries = revisions(model, pk, exclude=HISTORY_HIDDEN_FROM_STAFF if model is LiaisonReport else None)
        if not entries:
            raise Http404("No history for this record")
        current = model._default_manager.filter(pk=pk).first()
        return super().get_context_data(model_name=model._meta.verbose_name, record=current, entries=entries,
                                        pk=pk, **kwargs)
