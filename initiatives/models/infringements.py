"""The Commission's infringement procedures and their dated decisions.

Decisions are kept in the order they were taken (`position`). The order rules live in one pure function,
`sequence_errors`, used by the model's clean(), the services and the importers alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.choices import STAGE_PREREQUISITES, ProcedureType, Stage
from initiatives.dates import PartialDate, Precision

from .audit import LastChangedQuerySetMixin
from .sources import PreciseDateMixin, SourcedFact
from .transposition import Article, LegalAct, MemberState

INFR_NUMBER_RE = r"^INFR\(\d{4}\)\d{4}$"


def sequence_errors(steps: Sequence[tuple[str, PartialDate | None]], procedure_type: str | None = None
                    ) -> list[str]:
    """Check an ordered list of (stage, date) against the order rules; return one message per breach.

    Rules: the first decision is a letter of formal notice; each stage needs its prerequisite earlier in
    the same procedure (no reasoned opinion before a letter of formal notice, no judgment before a
    referral ...); a closure is last and happens once; dates never go backwards; a referral under
    Art. 260(3) is only for non-communication.
    """
    errors: list[str] = []
    seen: set[str] = set()
    latest: tuple[int, PartialDate] | None = None
    for index, (stage, when) in enumerate(steps, start=1):
        label = Stage(stage).label
        if Stage.CLOSED in seen:
            errors.append(gettext("Decision %(n)s (%(stage)s) comes after the closure: a closure must be the last "
                             "decision of a procedure.") % {"n": index, "stage": label})
        if index == 1 and stage != Stage.LETTER_OF_FORMAL_NOTICE:
            errors.append(gettext("Decision 1 is a %(stage)s: a procedure must start with a letter of formal "
                             "notice.") % {"stage": label})
        elif index > 1:
            needed = STAGE_PREREQUISITES[Stage(stage)]
            if needed and not seen.intersection(needed):
                errors.append(gettext("Decision %(n)s is a %(stage)s but no %(needed)s comes before it in the "
                                 "same procedure.") % {
                    "n": index, "stage": label, "needed": gettext(" or ").join(str(Stage(s).label) for s in needed)})
        if stage == Stage.REFERRAL_WITH_SANCTIONS and procedure_type == ProcedureType.NON_CONFORMITY:
            errors.append(gettext("Decision %(n)s: a referral with financial sanctions under Art. 260(3) applies "
                             "only to non-communication procedures.") % {"n": index})
        if when is not None:
            if latest is not None and when.certainly_before(latest[1]):
                errors.append(gettext("Decision %(n)s is dated %(date)s, before decision %(m)s (%(prev)s): dates "
                                 "cannot go backwards.") % {
                    "n": index, "date": when.display(), "m": latest[0], "prev": latest[1].display()})
            if latest is None or latest[1].start <= when.start:
                latest = (index, when)
        seen.add(stage)
    return errors


class ProcedureQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    """Where a procedure stands (open, closed, unknown) on a day is decided by initiatives/state.py alone."""

    def published(self):
        return self

    def with_related(self):
        return self.select_related("member_state", "legal_act").prefetch_related("articles", "decisions")


class InfringementProcedure(SourcedFact):
    """An infringement procedure against one Member State about one legal act.

    `infr_number` is the Commission's number (INFR(2019)2136) and may be unknown. `articles` lists the
    articles concerned when a source names them; empty means not known. Its state (open, closed, unknown) on
    any day follows from its evidence: its decisions and its listings in copies of the Commission's register
    (initiatives/state.py).
    """

    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="procedures",
                                     verbose_name=_("Member State"))
    infr_number = models.CharField(  # noqa: DJ001 null, not "", so that unknown numbers do not collide
        _("INFR number"), max_length=20, null=True, blank=True,
        validators=[RegexValidator(INFR_NUMBER_RE, _("Write it as INFR(2019)2136."))])
    type = models.CharField(_("type"), max_length=20, choices=ProcedureType.choices)
    legal_act = models.ForeignKey(LegalAct, on_delete=models.PROTECT, related_name="procedures",
                                  verbose_name=_("legal act"))
    articles = models.ManyToManyField(Article, related_name="procedures", blank=True,
                                      verbose_name=_("articles concerned"))
    note = models.TextField(_("note"), max_length=4000, blank=True)

    history = HistoricalRecords(m2m_fields=["articles", "sources"])
    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["member_state", "id"]
        verbose_name = _("infringement procedure")
        verbose_name_plural = _("infringement procedures")
        constraints = [
            models.UniqueConstraint(fields=["infr_number"], condition=models.Q(infr_number__isnull=False),
                                    name="procedure_infr_number_unique"),
            models.CheckConstraint(condition=models.Q(infr_number__isnull=True)
                                   | models.Q(infr_number__regex=INFR_NUMBER_RE),
                                   name="procedure_infr_number_form"),
        ]

    def __str__(self):
        number = self.infr_number or gettext("INFR number unknown")
        return f"{self.member_state.code} {number} ({self.get_type_display()})"

    def get_absolute_url(self):
        """The Member State's page showing this procedure alone (its list is shown a page at a time)."""
        return procedure_url(self.member_state.code, self.pk)

    def save(self, *args, **kwargs):
        if self.infr_number == "":
            self.infr_number = None
        super().save(*args, **kwargs)


def procedure_url(code: str, pk: int) -> str:
    """Where a procedure is read: its Member State's page, showing it alone (`?procedure=`)."""
    return reverse("initiatives:member_state_detail", args=[code]) + f"?procedure={pk}#procedure-{pk}"


class Decision(PreciseDateMixin, SourcedFact):
    """One decision in an infringement procedure: a letter, an opinion, a referral, a closure ..."""

    procedure = models.ForeignKey(InfringementProcedure, on_delete=models.CASCADE, related_name="decisions",
                                  verbose_name=_("procedure"))
    position = models.PositiveSmallIntegerField(_("position"), help_text=_("1 for the first decision."))
    stage = models.CharField(_("stage"), max_length=40, choices=Stage.choices)
    date = models.DateField(_("decision date"), null=True, blank=True, help_text=_("Empty when unknown."))
    date_precision = models.CharField(_("date precision"), max_length=10, choices=Precision.choices,
                                      default=Precision.DAY)
    date_latest = models.DateField(
        _("last possible day"), null=True, blank=True, editable=False,
        help_text=_("The last day of the date's period: the day itself, the month's last day, ... or, for a "
                    "date known only to lie between two days, the second day. Kept by save()."))
    reply_months = models.PositiveSmallIntegerField(
        _("reply period (months)"), null=True, blank=True,
        help_text=_("Only if the decision states a reply period other than the usual two months."))
    note = models.TextField(_("note"), max_length=4000, blank=True)

    history = HistoricalRecords(m2m_fields=["sources"])

    class Meta:
        ordering = ["procedure", "position"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "position"], name="decision_position_unique"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="decision_position_positive"),
            models.CheckConstraint(condition=models.Q(date__isnull=True, date_latest__isnull=True)
                                   | models.Q(date__isnull=False, date_latest__gte=models.F("date")),
                                   name="decision_date_latest_after_date"),
        ]

    def __str__(self):
        when = self.when.display() if self.when else gettext("date unknown")
        return f"{self.get_stage_display()}, {when}"

    @property
    def when(self) -> PartialDate | None:
        return PartialDate.from_parts(self.date, self.date_precision, self.date_latest)

    @when.setter
    def when(self, value: PartialDate | None) -> None:
        self.date = value.value if value else None
        self.date_precision = value.precision if value else Precision.DAY
        self.date_latest = value.end if value else None

    def save(self, *args, **kwargs):
        # date_latest follows date and precision, except for an interval, whose last day is its own fact.
        self.date = self._meta.get_field("date").to_python(self.date)  # "2014-01-27" given as text
        self.date_latest = self._meta.get_field("date_latest").to_python(self.date_latest)
        if self.date is None:
            self.date_latest = None
        elif self.date_precision != Precision.BETWEEN or self.date_latest is None:
            self.date_latest = PartialDate.from_parts(self.date, self.date_precision).end
        super().save(*args, **kwargs)

    def clean(self):
        self.clean_date_precision()
        if self.procedure_id is None or self.position is None or self.stage not in Stage.values:
            return  # the missing or unknown field has its own error
        siblings = [d for d in self.procedure.decisions.all() if d.pk != self.pk and d.position != self.position]
        steps = sorted([*siblings, self], key=lambda d: d.position)
        errors = sequence_errors([(d.stage, d.when) for d in steps], self.procedure.type)
        if errors:
            raise ValidationError(errors)


def decisions_of_published_procedures() -> models.QuerySet:
    """The decisions of the published procedures. Every procedure is published today (`published()` leaves none
    out), so no semi-join on the procedures is asked for: PostgreSQL hashed all of them for each query that read
    the decisions (0.4 ms at 50x). Should `published()` come to leave some out, the filter is asked for again."""
    procedures = InfringementProcedure.objects.published()
    if procedures.query.has_filters():
        return Decision.objects.filter(procedure__in=procedures)
    return Decision.objects.all()
