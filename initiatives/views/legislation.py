"""Legislative files: /legislation/ (each file and where it stands), /legislation/<file>/ (its stages on a timeline
and in a table, links to the official records), and the staff pages that add and edit stages, audited.

Both public pages take `?as_of=`: a stage counts on a day once its whole period has passed (as_of.counts_on),
and a file whose proposal had not come by then is not listed. Each page makes a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib import messages
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.views.generic import FormView, TemplateView

from initiatives import charts, services
from initiatives.as_of import counts_on
from initiatives.choices import LegislativeStageKind
from initiatives.forms import LegislativeStageForm
from initiatives.models import LegislativeFile, LegislativeStage
from initiatives.models.audit import current_version
from initiatives.models.legislation import (
    Period,
    current_stage,
    gaps,
    in_force_period,
    next_step,
    reference_of,
    time_in_stage,
)
from initiatives.tables import duration
from initiatives.views.as_of import AsOfMixin, today

from .mixins import ConflictMixin, StaffRequiredMixin


@dataclass
class FileState:
    """Where a file stood on a day: its stages by then, the current one and since when, what comes next, and
    when its act applied."""

    file: LegislativeFile
    stages: list = field(default_factory=list)  # the LegislativeStage rows shown, in order
    current: str | None = None
    since: object = None  # PartialDate
    time_in: str = ""
    next: str | None = None
    in_force: Period | None = None
    applies_now: bool = False

    @property
    def current_label(self) -> str:
        return str(LegislativeStageKind(self.current).label) if self.current else ""


def state_of(file: LegislativeFile, day: date | None, now: date) -> FileState:
    """`file` (with_related()) on `day` (None: today, `now`). Stages still to come are shown today (a known end
    of application) but never count for the current stage; on a past day they are left out."""
    reference = day or now
    ordered = sorted(file.stage_list, key=lambda s: (s.date, list(LegislativeStageKind.values).index(s.stage)))
    happened = [s for s in ordered if counts_on(s.when, reference)]
    steps = [(s.stage, s.when) for s in happened]
    for stage in ordered:
        stage.to_come = stage not in happened
    state = FileState(file, stages=ordered if day is None else happened)
    latest = current_stage(steps)
    if latest is not None:
        state.current = latest[0]
        state.since = time_in_stage(steps)
        state.time_in = duration(state.since.start, reference)
        state.next = next_step(steps)
    state.in_force = in_force_period(steps if day else [(s.stage, s.when) for s in ordered])
    if state.in_force is not None and state.in_force.start > reference:
        state.in_force = None  # published, not yet in force
    state.applies_now = bool(state.in_force and state.in_force.covers(reference))
    return state


def mark_extensions(states: list[FileState]) -> None:
    """Where a later file of the same key action made the act apply beyond the end a file records (an extension
    that took effect before that end), give the file `extended_by` (that file's state), so that its line does
    not read as if the act had stopped then."""
    for state in states:
        state.extended_by = None
        period = state.in_force
        if period is None or period.end is None:
            continue
        actions = {action.pk for action in state.file.key_action_list}
        for other in states:
            later = other.in_force
            if (other is not state and later is not None and actions & {a.pk for a in other.file.key_action_list}
                    and period.start < later.start <= period.end + timedelta(days=1)
                    and later.end is not None and later.end > period.end):
                state.extended_by = other
                break


def legal_basis(states: list[FileState], reference: date) -> list[dict]:
    """Per key action whose files produced acts: the periods its acts applied, and the gaps between them."""
    by_action: dict = {}
    for state in states:
        for key_action in state.file.key_action_list:
            if state.in_force is not None:
                by_action.setdefault(key_action, []).append(state.in_force)
    return [{"key_action": key_action, "gaps": gaps(periods, reference),
             "covered": any(p.covers(reference) for p in periods)}
            for key_action, periods in sorted(by_action.items(), key=lambda item: item[0].code)]


class LegislationListView(AsOfMixin, TemplateView):
    template_name = "initiatives/public/legislation_list.html"

    def get_context_data(self, **kwargs):
        day, now = self.as_of.day, today()
        states = [state_of(file, day, now) for file in LegislativeFile.objects.published().with_related()]
        states = [state for state in states if state.current]
        mark_extensions(states)
        return super().get_context_data(states=states, legal_basis=legal_basis(states, day or now), **kwargs)


class LegislationDetailView(AsOfMixin, TemplateView):
    template_name = "initiatives/public/legislation_detail.html"

    def get_context_data(self, slug, **kwargs):
        reference = reference_of(slug)
        file = LegislativeFile.objects.published().with_related().filter(reference=reference).first() if reference \
            else None
        if file is None:
            raise Http404("No such legislative file")
        day, now = self.as_of.day, today()
        state = state_of(file, day, now)
        chart = None
        if state.stages:
            from initiatives.views.public import Chart

            rows = [{"label": str(LegislativeStageKind(s.stage).label), "start": s.when.start, "end": s.when.end,
                     "when": s.when.display()} for s in state.stages]
            periods = [(state.in_force.start, state.in_force.end)] if state.in_force else []
            chart = Chart("chart-legislation", gettext("Stages over time"),
                          gettext("One row per kind of stage, in the procedure's order; a diamond is a day, a bar a "
                                  "month or a year; the green band is the time its act applied."),
                          charts.figure_data(charts.legislative_timeline(
                              rows, in_force=periods, stage_order=[str(label) for label in LegislativeStageKind.labels],
                              in_force_label=gettext("act applies"))))
        return super().get_context_data(file=file, state=state, chart=chart, proposed=bool(state.current), **kwargs)


# --- staff ------------------------------------------------------------------------------------------------------


class StaffLegislationView(StaffRequiredMixin, TemplateView):
    template_name = "initiatives/staff/legislation_list.html"

    def get_context_data(self, **kwargs):
        now = today()
        states = [state_of(file, None, now) for file in LegislativeFile.objects.with_related()]
        return super().get_context_data(states=states, **kwargs)


class StageFormView(StaffRequiredMixin, ConflictMixin, FormView):
    template_name = "initiatives/staff/legislative_stage_form.html"
    form_class = LegislativeStageForm

    def load_objects(self):  # after the role check (StaffRequiredMixin): no id is confirmed to anyone else
        if "stage_pk" in self.kwargs:
            self.stage = get_object_or_404(LegislativeStage.objects.select_related("file"),
                                           pk=self.kwargs["stage_pk"])
            self.file = self.stage.file
        else:
            self.file = get_object_or_404(LegislativeFile, pk=self.kwargs["pk"])
            self.stage = LegislativeStage(file=self.file)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.stage
        kwargs.setdefault("initial", {})["version"] = current_version(self.stage)
        return kwargs

    def get_context_data(self, **kwargs):
        from initiatives.views.staff import history_url

        return super().get_context_data(file=self.file, stage=self.stage,
                                        history_url=history_url(self.stage) if self.stage.pk else None, **kwargs)

    def form_valid(self, form):
        _stage, refused = self.write_or_refuse(form, lambda: services.save_legislative_stage(
            form.instance, user=self.request.user, citations=form.cleaned_data["sources"],
            reason=form.cleaned_data["reason"], version=form.cleaned_data["version"]))
        if refused:
            return refused
        messages.success(self.request, gettext("Stage saved."))
        return HttpResponseRedirect(reverse("initiatives:staff_legislation"))


def attach_outcomes(actions, day: date | None) -> None:
    """Give each key action of `actions` its `outcome_states`: where each legislative file it led to stood on
    `day` (None: today). The commitment (to propose ...) and its outcome (the law) are shown apart.
    One query, plus two when any file is linked, whatever the number of actions."""
    actions = list(actions)
    through = LegislativeFile.key_actions.through
    links = list(through.objects.filter(keyaction_id__in=[action.pk for action in actions])
                 .values_list("keyaction_id", "legislativefile_id"))
    by_action: dict[int, list[FileState]] = {}
    if links:
        stages = LegislativeStage.objects.order_by("date", "id")
        files = LegislativeFile.objects.published().filter(pk__in={file_id for _a, file_id in links}).prefetch_related(
            models.Prefetch("stages", queryset=stages, to_attr="stage_list"))
        now = today()
        states = {file.pk: state_of(file, day, now) for file in files}
        for action_id, file_id in links:
            if states[file_id].current:
                by_action.setdefault(action_id, []).append(states[file_id])
    for action in actions:
        action.outcome_states = sorted(by_action.get(action.pk, []), key=lambda state: state.file.reference)


def successor_states(celex: str, day: date | None) -> list[FileState]:
    """Where the files that would replace the act `celex` (a recast) stood on `day` (None: today). One query."""
    files: dict[int, LegislativeFile] = {}
    for stage in LegislativeStage.objects.filter(file__replaces__celex=celex).select_related("file").order_by(
            "file__reference", "date", "id"):
        files.setdefault(stage.file_id, stage.file).__dict__.setdefault("stage_list", []).append(stage)
    now = today()
    return [state for state in (state_of(file, day, now) for file in files.values()) if state.current]


def commitments_and_outcomes(day: date | None) -> list[dict]:
    """For the overview: each key action (not a context commitment) that led to legislative files, its
    commitment's status on `day` (the state engine's) beside where each of its files stood. Three queries."""
    from initiatives import state as engine
    from initiatives.models import KeyAction

    through = LegislativeFile.key_actions.through
    links = list(through.objects.filter(keyaction__is_context_commitment=False)
                 .values_list("keyaction_id", "legislativefile_id"))
    if not links:
        return []
    files: dict[int, LegislativeFile] = {}
    for stage in LegislativeStage.objects.filter(file_id__in={file_id for _a, file_id in links}).select_related(
            "file").order_by("file__reference", "date", "id"):
        files.setdefault(stage.file_id, stage.file).__dict__.setdefault("stage_list", []).append(stage)
    now = today()
    states = {pk: state_of(file, day, now) for pk, file in files.items()}
    actions = engine.key_actions(day, KeyAction.objects.published().filter(pk__in={a for a, _f in links})) \
        .select_related("initiative").order_by("initiative__number", "code")
    rows = []
    for action in actions:
        engine.show_key_action_on(action)
        outcomes = sorted((states[f] for a, f in links if a == action.pk and f in states and states[f].current),
                          key=lambda s: s.file.reference)
        if outcomes:
            rows.append({"action": action, "outcomes": outcomes})
    return rows
