"""Writes that touch several rows or must be audited. Each owns its transaction.

Every write records who made it and the reason they gave (django-simple-history). Edits carry the
version the editor started from (the record's newest history row); if someone saved in between, the
write is refused with EditConflict, which lists what changed, and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from initiatives.choices import Confidence, ReviewState, Stage
from initiatives.dates import Precision
from initiatives.models import (
    Assessment,
    Decision,
    InfringementProcedure,
    KeyAction,
    KeyActionEvent,
    LiaisonReport,
    NationalMeasure,
    Source,
    TranspositionReport,
    changes_since,
    current_version,
)
from initiatives.models.audit import Revision


class EditConflict(Exception):
    """Someone saved the record after the editor opened it. `revisions` says who changed what."""

    def __init__(self, revisions: list[Revision], version: int):
        self.revisions = revisions
        self.version = version  # the current version, for the form's next attempt
        super().__init__(gettext("This record was changed by someone else while you were editing it."))


class StateError(Exception):
    """The record is not in a state that allows this step (e.g. approving a report that is a draft)."""


def _lock(instance):
    """Lock the row for the rest of the transaction (PostgreSQL; SQLite serialises writes anyway)."""
    type(instance)._default_manager.select_for_update().filter(pk=instance.pk).values_list("pk").first()


def _check_version(instance, expected: int | None) -> None:
    if instance.pk is None or expected is None:
        return
    _lock(instance)
    version = current_version(instance)
    if version != expected:
        raise EditConflict(changes_since(instance, expected), version)


def _stamp(instance, user, reason: str | None) -> None:
    instance._history_user = user
    instance._change_reason = (reason or "").strip() or None


def _save_audited(instance, *, user, reason, m2m: dict[str, Iterable] | None = None) -> None:
    """Save `instance` and set its many-to-many fields, with one history row per save that shows both.

    A new record gets its "created" row first, then a second row for its sources (simple-history takes
    the created row before many-to-many values can exist).
    """
    _stamp(instance, user, reason)
    created = instance.pk is None
    if created:
        instance.save()
    changed = False
    for name, values in (m2m or {}).items():
        wanted = {obj.pk for obj in values}
        manager = getattr(instance, name)
        if wanted != set(manager.values_list("pk", flat=True)):
            instance.skip_history_when_saving = True
            try:
                manager.set(wanted)
            finally:
                del instance.skip_history_when_saving
            changed = True
    if not created or changed:
        instance.save()


def _sources(citations: Iterable[str]) -> list[Source]:
    return [Source.objects.get_or_create_from_citation(citation) for citation in citations]


@transaction.atomic
def save_key_action(action: KeyAction, *, user, reason: str = "", version: int | None) -> KeyAction:
    """Save staff's update to a key action (status, progress, dates, narrative).

    "Delivered" after the end of the deadline's period is stored as "delivered late".
    """
    _check_version(action, version)
    action.status = action.status_from_report(action.status)
    action.full_clean()
    _save_audited(action, user=user, reason=reason)
    return action


@transaction.atomic
def save_event(event: KeyActionEvent, *, user, citations: list[str], reason: str = "",
               version: int | None = None) -> KeyActionEvent:
    _check_version(event, version)
    event.full_clean(exclude=["key_action"])
    _save_audited(event, user=user, reason=reason, m2m={"sources": _sources(citations)})
    return event


@transaction.atomic
def delete_event(event: KeyActionEvent, *, user, reason: str = "", version: int | None) -> None:
    _check_version(event, version)
    _stamp(event, user, reason)
    event.delete()


@transaction.atomic
def open_procedure(procedure: InfringementProcedure, *, letter_date, citations: list[str], user,
                   reason: str = "", articles: Iterable = ()) -> InfringementProcedure:
    """Open a procedure with its first decision, a letter of formal notice, dated `letter_date` (or unknown)."""
    sources = _sources(citations)
    procedure.full_clean()
    _save_audited(procedure, user=user, reason=reason, m2m={"sources": sources, "articles": list(articles)})
    letter = Decision(procedure=procedure, position=1, stage=Stage.LETTER_OF_FORMAL_NOTICE,
                      confidence=procedure.confidence,
                      date=letter_date.start if letter_date else None,
                      date_precision=letter_date.precision if letter_date else Precision.DAY)
    letter.full_clean()
    _save_audited(letter, user=user, reason=reason, m2m={"sources": sources})
    return procedure


@transaction.atomic
def add_decision(decision: Decision, *, user, citations: list[str], after_position: int,
                 reason: str = "") -> Decision:
    """Append the next decision to its procedure, checking the order rules under a lock.

    `after_position` is the last decision the editor saw: if another decision was added since, the
    write is refused (EditConflict) rather than appended after a step the editor did not see.
    """
    procedure = decision.procedure
    _lock(procedure)
    decisions = list(procedure.decisions.order_by("position"))
    last = decisions[-1].position if decisions else 0
    if last != after_position:
        newer = [d for d in decisions if d.position > after_position]
        revisions = [revision for d in newer for revision in changes_since(d, 0)]
        raise EditConflict(revisions, last)
    decision.position = last + 1
    decision.full_clean()
    _save_audited(decision, user=user, reason=reason, m2m={"sources": _sources(citations)})
    return decision


@transaction.atomic
def set_assessment(assessment: Assessment, *, user, citations: list[str], reason: str = "",
                   version: int | None = None) -> Assessment:
    if assessment.pk is None and Assessment.objects.filter(
            member_state=assessment.member_state, article=assessment.article).exists():
        existing = Assessment.objects.get(member_state=assessment.member_state, article=assessment.article)
        raise EditConflict(changes_since(existing, 0), current_version(existing))
    _check_version(assessment, version)
    assessment.full_clean()
    _save_audited(assessment, user=user, reason=reason, m2m={"sources": _sources(citations)})
    return assessment


@transaction.atomic
def mark_verified(records: dict[type, Iterable[int]], *, user, today: date) -> int:
    """Record that staff checked these records against their sources on `today` (their `last_verified`).

    `records` maps a sourced model (KeyAction, Decision ...) to the primary keys chosen. All or nothing: a
    record that does not exist raises ValidationError naming it, and nothing is saved. A record already
    verified on `today` is left as it is. Each change is kept in the record's history with `user` and the
    reason "verified against sources". Returns how many records were marked.
    """
    found, missing = [], []
    for model, pks in records.items():
        wanted = set(pks)
        rows = list(model._default_manager.select_for_update().filter(pk__in=wanted).order_by("pk"))
        missing += [f"{model._meta.verbose_name} {pk}" for pk in sorted(wanted - {row.pk for row in rows})]
        found += rows
    if missing:
        raise ValidationError(gettext("No such record: %(records)s. Nothing was marked as verified.")
                              % {"records": ", ".join(missing)})
    marked = 0
    for record in found:
        if record.last_verified == today:
            continue
        record.last_verified = today
        _save_audited(record, user=user, reason=gettext("verified against sources"))
        marked += 1
    return marked


@transaction.atomic
def save_liaison_report(report: LiaisonReport, *, user, version: int | None, submit: bool = False) -> LiaisonReport:
    """Save a liaison's draft (a returned or approved report becomes a draft again); submit it if asked."""
    if report.pk is None and LiaisonReport.objects.filter(
            member_state=report.member_state, article=report.article).exists():
        existing = LiaisonReport.objects.get(member_state=report.member_state, article=report.article)
        raise EditConflict(changes_since(existing, 0), current_version(existing))
    _check_version(report, version)
    if report.pk is not None:
        stored = LiaisonReport.objects.get(pk=report.pk)
        if stored.state == ReviewState.SUBMITTED:
            raise StateError(gettext("This report is waiting for the Commission's review and cannot be changed now."))
    report.full_clean()
    if submit:
        report.state = ReviewState.SUBMITTED
        report.submitted_by = user
        report.submitted_at = timezone.now()
    else:
        report.state = ReviewState.DRAFT
    _save_audited(report, user=user, reason=gettext("submitted for review") if submit else None)
    return report


def _check_reviewable(report: LiaisonReport, version: int | None, user) -> None:
    _check_version(report, version)
    report.refresh_from_db()
    if report.state != ReviewState.SUBMITTED:
        raise StateError(gettext("Only a submitted report can be reviewed; this one is %(state)s.")
                         % {"state": report.get_state_display()})
    if report.submitted_by_id is not None and report.submitted_by_id == user.pk:
        raise StateError(gettext("You submitted this report, so another member of staff must review it."))


@transaction.atomic
def return_liaison_report(report: LiaisonReport, *, user, comment: str, version: int | None) -> LiaisonReport:
    _check_reviewable(report, version, user)
    if not comment.strip():
        raise ValidationError({"review_comment": gettext("Say what the liaison should change.")})
    report.state = ReviewState.RETURNED
    report.review_comment = comment.strip()
    report.reviewed_by, report.reviewed_at = user, timezone.now()
    _save_audited(report, user=user, reason=gettext("returned for changes"))
    return report


@transaction.atomic
def approve_liaison_report(report: LiaisonReport, *, user, version: int | None,
                           today: date | None = None, comment: str = "") -> TranspositionReport:
    """Publish a submitted report: it becomes the Member State's TranspositionReport for the article.

    The national measure is created or updated (by its reference); the published report is dated the
    day the liaison submitted it, and cites the approved liaison report as its source. `comment`, staff's
    word to the liaison on approval, replaces any earlier one (the liaison reads it on their workspace).
    """
    _check_reviewable(report, version, user)
    now = timezone.now()
    as_of = timezone.localdate(report.submitted_at) if report.submitted_at else (today or timezone.localdate())
    citation = gettext("Report of the %(ms)s liaison on Art. %(n)s, submitted %(date)s, approved by the Commission "
                  "%(approved)s") % {"ms": report.member_state.name, "n": report.article.number,
                                     "date": as_of.isoformat(), "approved": timezone.localdate(now).isoformat()}
    reason = gettext("approved liaison report")
    measures = []
    if report.has_measure:
        measure = NationalMeasure.objects.filter(member_state=report.member_state,
                                                 reference=report.measure_reference).first()
        measure = measure or NationalMeasure(member_state=report.member_state, reference=report.measure_reference)
        measure.title = report.measure_title
        measure.date, measure.date_precision = report.measure_date, report.measure_date_precision
        measure.url = report.measure_url
        measure.full_clean()
        _save_audited(measure, user=user, reason=reason)
        measures.append(measure)
    published = (TranspositionReport.objects.filter(member_state=report.member_state, article=report.article).first()
                 or TranspositionReport(member_state=report.member_state, article=report.article))
    published.status = report.status
    published.comment = report.comment
    published.date, published.date_precision = as_of, Precision.DAY
    published.confidence = Confidence.HIGH
    published.full_clean()
    _save_audited(published, user=user, reason=reason,
                  m2m={"measures": measures, "sources": _sources([citation])})
    report.state = ReviewState.APPROVED
    report.review_comment = comment.strip()  # the liaison reads it with the approval (empty: none)
    report.reviewed_by, report.reviewed_at = user, now
    report.published = published
    _save_audited(report, user=user, reason=reason)
    return published


@transaction.atomic
def save_legislative_stage(stage, *, user, citations: list[str], reason: str = "", version: int | None = None):
    """Save staff's new or edited stage of a legislative file, with its sources, in the history; the order
    rules of the file (no stage before the proposal, no publication before the adoption) are checked."""
    _check_version(stage, version)
    stage.full_clean(exclude=["file"])
    _save_audited(stage, user=user, reason=reason, m2m={"sources": _sources(citations)})
    if stage.stage == "proposal":
        from initiatives.importers.legislation import apply_derived_statuses

        apply_derived_statuses()
    return stage
