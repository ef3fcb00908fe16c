"""Legislative files: the EU procedures behind the key actions (2020/0259(COD), 2022/0155(COD) ...), stage by
stage, and the act each one produced, with when it was in force.

The rules are pure functions over (stage, PartialDate) pairs, so the pages, the importer and the staff forms
all use the same ones:
- `ordered`: stages in date order (by the start of their period), the usual order of the procedure breaking ties;
- `current_stage` / `time_in_stage`: the latest stage, and since when the file has been at it (a run of
  trilogues counts from the first);
- `next_step`: what the procedure expects next, from the stages seen so far;
- `order_errors`: no stage before the proposal; no signature, publication or entry into force before the
  adoption, and no entry into force before the publication;
- `in_force_periods` / `gaps`: when an act applied, and when no act did (across the files of one key action).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.choices import LegislativeStageKind as Kind
from initiatives.dates import PartialDate, Precision

from .audit import LastChangedQuerySetMixin
from .sources import PreciseDateMixin, SourcedFact
from .strategy import KeyAction
from .transposition import LegalAct

PROCEDURE_RE = re.compile(r"^\d{4}/\d{4}\((COD|CNS|APP|NLE|BUD|INI)\)$")
CELEX_RE = re.compile(r"^\d[0-9]{4}[A-Z]{1,2}\d{4}$")
STAGE_ORDER = {value: index for index, value in enumerate(Kind.values)}
ADOPTION = (Kind.COUNCIL_ADOPTION, Kind.EP_SECOND_READING)
AFTER_ADOPTION = (Kind.SIGNATURE, Kind.OJ_PUBLICATION, Kind.ENTRY_INTO_FORCE, Kind.APPLICATION)
ENDED = (Kind.WITHDRAWAL, Kind.LAPSE)

Step = tuple[str, PartialDate]


def ordered(steps: Iterable[Step]) -> list[Step]:
    return sorted(steps, key=lambda step: (step[1].start, STAGE_ORDER.get(step[0], 99)))


def steps_on(steps: Iterable[Step], day: date) -> list[Step]:
    """The stages that had happened by `day` (their whole period passed: as_of.counts_on)."""
    from initiatives.as_of import counts_on

    return [step for step in steps if counts_on(step[1], day)]


def current_stage(steps: Sequence[Step]) -> Step | None:
    """The latest stage (None before the first)."""
    steps = ordered(steps)
    return steps[-1] if steps else None


def time_in_stage(steps: Sequence[Step]) -> PartialDate | None:
    """Since when the file has been at its current stage: the first of the run of the same stage at the end
    (five trilogues in a row: since the first)."""
    steps = ordered(steps)
    if not steps:
        return None
    stage = steps[-1][0]
    since = steps[-1][1]
    for kind, when in reversed(steps):
        if kind != stage:
            break
        since = when
    return since


def next_step(steps: Sequence[Step]) -> str | None:
    """What the ordinary legislative procedure expects next, as text; None when nothing more is expected
    (the act applies with no known end, or the file ended)."""
    steps = ordered(steps)
    if not steps:
        return None
    seen = {kind for kind, _when in steps}
    stage = steps[-1][0]
    label = {kind: str(Kind(kind).label) for kind in Kind.values}
    if stage in (*ENDED, Kind.EXPIRY):
        return None  # the file ended, or its act stopped applying
    if stage == Kind.REJECTED:
        return gettext("none under this proposal: it was rejected (a new proposal or a Council position may follow)")
    if stage == Kind.PROPOSAL:
        return gettext("%(a)s and %(b)s") % {"a": label[Kind.EP_COMMITTEE_VOTE],
                                              "b": label[Kind.COUNCIL_GENERAL_APPROACH]}
    if stage in (Kind.EP_COMMITTEE_VOTE, Kind.EP_PLENARY_FIRST_READING, Kind.COUNCIL_GENERAL_APPROACH):
        parliament = bool(seen & {Kind.EP_COMMITTEE_VOTE, Kind.EP_PLENARY_FIRST_READING})
        council = Kind.COUNCIL_GENERAL_APPROACH in seen
        if stage == Kind.EP_COMMITTEE_VOTE and Kind.EP_PLENARY_FIRST_READING not in seen:
            return label[Kind.EP_PLENARY_FIRST_READING]
        if parliament and council:
            return label[Kind.TRILOGUE]
        return label[Kind.EP_COMMITTEE_VOTE] if council else label[Kind.COUNCIL_GENERAL_APPROACH]
    expected = {
        Kind.TRILOGUE: gettext("%(a)s (or a further trilogue)") % {"a": label[Kind.PROVISIONAL_AGREEMENT]},
        Kind.PROVISIONAL_AGREEMENT: gettext("%(a)s and %(b)s") % {"a": label[Kind.EP_PLENARY_APPROVAL],
                                                              "b": label[Kind.COUNCIL_ADOPTION]},
        Kind.EP_PLENARY_APPROVAL: label[Kind.COUNCIL_ADOPTION],
        Kind.COUNCIL_FIRST_READING_POSITION: label[Kind.EP_SECOND_READING],
        Kind.EP_SECOND_READING: label[Kind.SIGNATURE],
        Kind.COUNCIL_ADOPTION: label[Kind.SIGNATURE],
        Kind.SIGNATURE: label[Kind.OJ_PUBLICATION],
        Kind.OJ_PUBLICATION: label[Kind.ENTRY_INTO_FORCE],
    }
    # After the entry into force (or the start of application) the act applies: nothing more is expected of
    # the procedure; a known end of application is shown as a date.
    return expected.get(stage)


def order_errors(steps: Sequence[Step]) -> list[str]:
    """The order rules, one message per breach (empty: in order)."""
    errors = []
    steps = ordered(steps)
    proposals = [when for kind, when in steps if kind == Kind.PROPOSAL]
    adoptions = [when for kind, when in steps if kind in ADOPTION]
    publications = [when for kind, when in steps if kind == Kind.OJ_PUBLICATION]
    if len(proposals) > 1:
        errors.append(gettext("A file has one Commission proposal; %(n)s are recorded.") % {"n": len(proposals)})
    if proposals:
        for kind, when in steps:
            if kind != Kind.PROPOSAL and when.certainly_before(proposals[0]):
                errors.append(gettext("The %(stage)s of %(date)s comes before the proposal (%(proposal)s): no stage "
                                 "comes before the proposal.") % {
                    "stage": Kind(kind).label, "date": when.display(), "proposal": proposals[0].display()})
    for kind, when in steps:
        if kind not in AFTER_ADOPTION:
            continue
        if not adoptions:
            errors.append(gettext("A %(stage)s (%(date)s) is recorded but no adoption (Council adoption or "
                             "Parliament second reading): no %(stage)s before the adoption.") % {
                "stage": Kind(kind).label, "date": when.display()})
        elif all(when.certainly_before(adopted) for adopted in adoptions):
            errors.append(gettext("The %(stage)s of %(date)s comes before the adoption (%(adopted)s).") % {
                "stage": Kind(kind).label, "date": when.display(), "adopted": adoptions[0].display()})
        if kind == Kind.ENTRY_INTO_FORCE and publications and all(
                when.certainly_before(published) for published in publications):
            errors.append(gettext("The entry into force of %(date)s comes before the publication (%(published)s).") % {
                "date": when.display(), "published": publications[0].display()})
    return errors


@dataclass(frozen=True)
class Period:
    """Days an act applied: `start` (entry into force or application) to `end` (the last day it applied;
    None: no known end)."""

    start: date
    end: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def in_force_period(steps: Sequence[Step]) -> Period | None:
    """When the file's act applied: from its entry into force (or start of application, if later) to the
    latest expiry after it. An expiry recorded before the entry into force is the end of an earlier act
    (a reinstatement after a lapse), not of this one. None when the act never entered into force."""
    steps = ordered(steps)
    starts = [when for kind, when in steps if kind in (Kind.ENTRY_INTO_FORCE, Kind.APPLICATION)]
    if not starts:
        return None
    start = max(when.start for when in starts)
    ends = [when for kind, when in steps if kind in (Kind.EXPIRY, Kind.LAPSE) and when.start >= start]
    return Period(start, max(when.end for when in ends) if ends else None)


def merged(periods: Iterable[Period]) -> list[Period]:
    """Periods joined where they touch or overlap."""
    result: list[Period] = []
    for period in sorted(periods, key=lambda p: p.start):
        if result and (result[-1].end is None or period.start <= result[-1].end + timedelta(days=1)):
            last = result[-1]
            end = None if last.end is None or period.end is None else max(last.end, period.end)
            result[-1] = Period(last.start, end)
        else:
            result.append(period)
    return result


def gaps(periods: Iterable[Period], day: date) -> list[Period]:
    """The stretches, up to `day`, between periods when an act applied: days with no legal basis."""
    joined = merged(periods)
    found = []
    for before, after in zip(joined, joined[1:], strict=False):
        if before.end is None:
            break
        start = before.end + timedelta(days=1)
        if start > day:
            break
        found.append(Period(start, min(after.start - timedelta(days=1), day)))
    if joined and joined[-1].end is not None and joined[-1].end < day:
        found.append(Period(joined[-1].end + timedelta(days=1), None))  # lapsed, not (yet) replaced
    return found


# --- the records -------------------------------------------------------------------------------------------------


class LegislativeFileQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    def published(self):
        return self

    def with_related(self):
        stages = LegislativeStage.objects.order_by("date", "id").prefetch_related("sources")
        return self.prefetch_related(
            models.Prefetch("stages", queryset=stages, to_attr="stage_list"),
            models.Prefetch("key_actions", queryset=KeyAction.objects.select_related("initiative"),
                            to_attr="key_action_list"))


class LegislativeFile(models.Model):
    """An EU legislative procedure the tracker follows, and the act it produced (if any)."""

    reference = models.CharField(
        _("procedure reference"), max_length=20, unique=True,
        validators=[RegexValidator(PROCEDURE_RE, _("Write the procedure reference as 2022/0155(COD)."))],
        help_text="2022/0155(COD)")
    title = models.CharField(_("title"), max_length=300)
    proposal_reference = models.CharField(_("Commission proposal"), max_length=40, blank=True,
                                          help_text=_("COM(2022) 209; empty when not known."))
    key_actions = models.ManyToManyField(KeyAction, related_name="legislative_files", blank=True,
                                         verbose_name=_("key actions served"))
    replaces = models.ForeignKey(LegalAct, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="replacing_files", verbose_name=_("act it would replace"),
                                 help_text=_("For a recast: the act it replaces."))
    act_number = models.CharField(_("resulting act"), max_length=100, blank=True,
                                  help_text=_("Regulation (EU) 2021/1232; empty until adopted."))
    act_celex = models.CharField(_("CELEX number of the act"), max_length=20, blank=True,
                                 validators=[RegexValidator(CELEX_RE, _("A CELEX number looks like 32021R1232."))])
    act_oj = models.CharField(_("Official Journal reference"), max_length=100, blank=True,
                              help_text="OJ L 274, 30.7.2021")
    act_note = models.CharField(_("act as recorded"), max_length=300, blank=True,
                                help_text=_("The act as the source wrote it, with its remarks."))

    history = HistoricalRecords(m2m_fields=["key_actions"])
    objects = LegislativeFileQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = _("legislative file")
        verbose_name_plural = _("legislative files")

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("initiatives:legislation_detail", args=[self.slug])

    @property
    def slug(self) -> str:
        """2022/0155(COD) -> 2022-0155-COD, for URLs."""
        return slug_of(self.reference)

    @property
    def oeil_url(self) -> str:
        return f"https://oeil.secure.europarl.europa.eu/oeil/en/procedure-file?reference={self.reference}"

    @property
    def eurlex_url(self) -> str:
        if self.act_celex:
            return f"https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{self.act_celex}"
        return f"https://eur-lex.europa.eu/procedure/EN/{self.reference.replace('/', '_').split('(')[0]}"

    @property
    def council_url(self) -> str:
        return ("https://www.consilium.europa.eu/en/documents-publications/public-register/public-register-search/"
                f"results/?InterinstitutionalFiles={self.reference.split('(')[0]}")

    def steps(self, stages=None) -> list[Step]:
        stages = self.stage_list if stages is None and hasattr(self, "stage_list") else (
            stages if stages is not None else self.stages.all())
        return [(stage.stage, stage.when) for stage in stages]

    def clean(self):
        if self.act_celex and not self.act_number:
            raise ValidationError({"act_number": _("Name the act whose CELEX number is given.")})


def slug_of(reference: str) -> str:
    return reference.replace("/", "-").replace("(", "-").replace(")", "")


def reference_of(slug: str) -> str | None:
    match = re.fullmatch(r"(\d{4})-(\d{4})-([A-Z]{3})", slug or "")
    return f"{match[1]}/{match[2]}({match[3]})" if match else None


class LegislativeStageQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    def published(self):
        return self


class LegislativeStage(PreciseDateMixin, SourcedFact):
    """One stage of a legislative file, dated with its precision, with what happened and its sources."""

    file = models.ForeignKey(LegislativeFile, on_delete=models.CASCADE, related_name="stages",
                             verbose_name=_("legislative file"))
    stage = models.CharField(_("stage"), max_length=40, choices=Kind.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(_("date precision"), max_length=10, choices=Precision.choices,
                                      default=Precision.DAY)
    detail = models.TextField(_("detail"), max_length=2000, blank=True)

    history = HistoricalRecords(m2m_fields=["sources"])
    objects = LegislativeStageQuerySet.as_manager()

    class Meta:
        ordering = ["file", "date", "id"]
        verbose_name = _("legislative stage")
        verbose_name_plural = _("legislative stages")
        constraints = [
            models.UniqueConstraint(fields=["file", "stage", "date"], name="legislative_stage_unique"),
        ]

    def __str__(self):
        return f"{self.file.reference}: {self.get_stage_display()}, {self.when}"

    def clean(self):
        self.clean_date_precision()
        if self.file_id is None or self.date is None or self.stage not in Kind.values:
            return
        others = [(s.stage, s.when) for s in LegislativeStage.objects.filter(file_id=self.file_id)
                  .exclude(pk=self.pk)]
        try:
            when = PartialDate(self.date, self.date_precision)
        except ValueError:
            return
        errors = order_errors([*others, (self.stage, when)])
        if errors:
            raise ValidationError({"stage": errors})


def derived_status_of(action: KeyAction):
    """The status a key action's evidence gives it (KeyAction.derived_status), from the proposals of its
    legislative files; None when no rule fits."""
    proposals = [stage.when for stage in LegislativeStage.objects.filter(file__key_actions=action,
                                                                         stage=Kind.PROPOSAL)]
    return action.derived_status(proposals)
