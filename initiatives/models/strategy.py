"""The strategy, its eight initiatives, their key actions and the dated events that show progress."""


from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.choices import Commitment, EventKind, KeyActionStatus, LeadActor, Pillar
from initiatives.dates import PartialDate, Precision

from .audit import LastChangedQuerySetMixin
from .sources import PreciseDateMixin, SourcedFact


class Strategy(models.Model):
    """A Commission strategy whose implementation is tracked (COM(2020) 607 first; later ones beside it)."""

    reference = models.CharField(_("reference"), max_length=40, unique=True, help_text="COM(2020) 607")
    title = models.CharField(_("title"), max_length=300)
    adopted_on = models.DateField(_("adopted on"))
    period_start = models.PositiveSmallIntegerField(_("first year of the period"))
    period_end = models.PositiveSmallIntegerField(_("last year of the period"))
    url = models.URLField(_("link to the text"), max_length=500, blank=True)

    class Meta:
        ordering = ["adopted_on"]
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="strategy_period_in_order"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def natural_key(self):
        return (self.reference,)


class InitiativeQuerySet(models.QuerySet):
    def published(self):
        return self


class Initiative(models.Model):
    """One of the strategy's numbered initiatives, in pillar I or II."""

    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="initiatives",
                                 verbose_name=_("strategy"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    pillar = models.CharField(_("pillar"), max_length=2, choices=Pillar.choices)
    summary = models.TextField(_("summary"), help_text=_("The opening paragraph of the initiative."))
    section_reference = models.CharField(_("section"), max_length=100)

    history = HistoricalRecords()
    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="initiative_number_unique"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("initiatives:initiative_detail", args=[self.number])


class KeyActionQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    def published(self):
        return self

    def with_related(self):
        return self.select_related("initiative", "initiative__strategy").prefetch_related("sources")

    def key_actions_only(self):
        return self.filter(is_context_commitment=False)


class KeyAction(PreciseDateMixin, SourcedFact):
    """A "Key action" of the strategy (marked ð in its text), or a commitment the strategy makes in
    passing that the research data tracks as context (flagged `is_context_commitment`).

    `statement` is the strategy's own words, quoted; the deadline is kept both as worded and as a
    date with its precision. `progress` is a percentage only when a source gives one: unknown is null.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="key_actions",
                                   verbose_name=_("initiative"))
    code = models.CharField(_("code"), max_length=20,
                            help_text=_("Stable identifier within the initiative: 1, 2a, 2-dsa ..."))
    short_title = models.CharField(_("short title"), max_length=200)
    statement = models.TextField(_("official statement"), help_text=_("Quoted from the strategy."))
    section_reference = models.CharField(_("section"), max_length=100)
    is_context_commitment = models.BooleanField(
        _("context commitment"), default=False,
        help_text=_("A commitment stated in the text of the initiative but not marked as a key action."))
    lead_actor = models.CharField(_("lead actor"), max_length=30, choices=LeadActor.choices)

    deadline_wording = models.CharField(_("deadline as worded"), max_length=200)
    deadline = models.DateField(_("deadline"), null=True, blank=True,
                                help_text=_("First day of the period the deadline names; empty if it "
                                            "names no date."))
    deadline_precision = models.CharField(_("deadline precision"), max_length=10, choices=Precision.choices,
                                          blank=True)

    status = models.CharField(_("status"), max_length=30, choices=KeyActionStatus.choices,
                              default=KeyActionStatus.UNKNOWN)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Only when a source states it; empty means unknown."))
    date = models.DateField(_("actual delivery date"), null=True, blank=True)
    date_precision = models.CharField(_("delivery date precision"), max_length=10, choices=Precision.choices,
                                      default=Precision.DAY)
    forecast = models.DateField(_("forecast date"), null=True, blank=True)
    forecast_precision = models.CharField(_("forecast precision"), max_length=10, choices=Precision.choices,
                                          default=Precision.DAY)
    narrative = models.TextField(_("public narrative"), max_length=4000, blank=True)
    commitment = models.CharField(_("commitment"), max_length=20, choices=Commitment.choices, blank=True,
                                  help_text=_("What the action commits to do (its verb); empty when not recorded."))
    outcome = models.CharField(_("outcome"), max_length=200, blank=True,
                               help_text=_("What should come of it: the CSA Regulation, a prevention network ..."))
    status_set_by_staff = models.BooleanField(
        _("status set by staff"), default=False,
        help_text=_("The status was set by staff instead of following from the dated evidence."))
    status_reason = models.CharField(_("why staff set the status"), max_length=500, blank=True)
    status_source = models.CharField(_("source of the status set by staff"), max_length=1000, blank=True)

    history = HistoricalRecords()
    objects = KeyActionQuerySet.as_manager()

    class Meta:
        ordering = ["initiative__number", "is_context_commitment", "code"]
        verbose_name = _("key action")
        verbose_name_plural = _("key actions")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="key_action_code_unique"),
            models.CheckConstraint(condition=models.Q(progress__isnull=True) | models.Q(progress__lte=100),
                                   name="key_action_progress_0_100"),
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True, deadline_precision="")
                | models.Q(deadline__isnull=False) & ~models.Q(deadline_precision=""),
                name="key_action_deadline_has_precision"),
        ]

    def __str__(self):
        return f"{self.initiative.number}/{self.code} {self.short_title}"

    def get_absolute_url(self):
        return reverse("initiatives:initiative_detail", args=[self.initiative.number]) + f"#action-{self.code}"

    @property
    def deadline_date(self) -> PartialDate | None:
        return PartialDate.from_parts(self.deadline, self.deadline_precision)

    @property
    def delivered_on(self) -> PartialDate | None:
        return self.when

    def slippage_days(self, today: date) -> int | None:
        """Days past the end of the deadline's period: to delivery if delivered, else to `today`.

        None when there is no dated deadline, or when it is delivered with no known date.
        Zero or less means on time (or not yet due).
        """
        deadline = self.deadline_date
        if deadline is None:
            return None
        if self.status in (KeyActionStatus.DELIVERED, KeyActionStatus.DELIVERED_LATE):
            delivered = self.delivered_on
            return None if delivered is None else (delivered.start - deadline.end).days
        return (today - deadline.end).days

    def status_from_report(self, reported: str) -> str:
        """The status to store for a reported one: "delivered" after the deadline is "delivered late"."""
        deadline, delivered = self.deadline_date, self.delivered_on
        if (reported == KeyActionStatus.DELIVERED and deadline is not None and delivered is not None
                and delivered.start > deadline.end):
            return KeyActionStatus.DELIVERED_LATE
        return reported

    def derived_status(self, proposals: list[PartialDate]) -> tuple[str, PartialDate] | None:
        """The status that follows from dated evidence, when a rule fits: a "propose" commitment is delivered on
        the day of its (first) file's proposal, "delivered late" when that is after the deadline's period.
        None when no rule fits (the recorded status stands)."""
        if self.commitment != Commitment.PROPOSE or not proposals:
            return None
        proposed = min(proposals, key=lambda when: when.start)
        deadline = self.deadline_date
        late = deadline is not None and proposed.start > deadline.end
        return (KeyActionStatus.DELIVERED_LATE if late else KeyActionStatus.DELIVERED), proposed

    def clean(self):
        errors = {}
        if self.deadline is not None and not self.deadline_precision:
            errors["deadline_precision"] = _("A dated deadline needs its precision.")
        if self.deadline is None and self.deadline_precision:
            self.deadline_precision = ""
        if self.deadline is not None and self.deadline_precision:
            try:
                PartialDate(self.deadline, self.deadline_precision)
            except ValueError as error:
                errors["deadline"] = str(error)
        if self.date is not None:
            try:
                PartialDate(self.date, self.date_precision)
            except ValueError as error:
                errors["date"] = str(error)
        if self.status_set_by_staff and not (self.status_reason.strip() and self.status_source.strip()):
            errors["status_reason"] = _("A status set by staff needs a reason and a source.")
        if self.date is None and self.status in (KeyActionStatus.DELIVERED, KeyActionStatus.DELIVERED_LATE):
            errors["date"] = _("A delivered action needs its delivery date (and a source that gives it).")
        if self.deadline is None and self.status == KeyActionStatus.DELIVERED_LATE:
            errors["status"] = _("“Delivered late” needs a dated deadline to be late against.")
        if self.date is not None and self.status in (KeyActionStatus.NOT_STARTED, KeyActionStatus.IN_PROGRESS):
            errors["date"] = _("An action that is not started or in progress has no delivery date.")
        if errors:
            raise ValidationError(errors)


class EventQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    def published(self):
        return self

    def with_related(self):
        return self.select_related("key_action", "key_action__initiative").prefetch_related("sources")


class KeyActionEvent(PreciseDateMixin, SourcedFact):
    """A dated step that shows progress on a key action: a proposal, a position, an adoption, a launch."""

    key_action = models.ForeignKey(KeyAction, on_delete=models.CASCADE, related_name="events",
                                   verbose_name=_("key action"))
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    date = models.DateField(_("date"))
    date_precision = models.CharField(_("date precision"), max_length=10, choices=Precision.choices,
                                      default=Precision.DAY)
    description = models.CharField(_("description"), max_length=500)
    # The shipped row this event was loaded from (importers.events.shipped_key); empty for a person's event.
    # It survives edits, so loading the shipped data again finds the event it made even after a correction.
    import_key = models.CharField(_("key in the shipped data"), max_length=100, blank=True, default="",
                                  editable=False)

    history = HistoricalRecords(m2m_fields=["sources"])
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["key_action", "date", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        # The API lists every event by date: read in that order, its first page no longer sorts them all (2.7 ms
        # at 50x the data on PostgreSQL, 0.2 ms so).
        indexes = [models.Index(fields=["date", "id"], name="event_date_id")]
        constraints = [
            models.UniqueConstraint(fields=["key_action", "date", "description"], name="event_unique"),
            models.UniqueConstraint(fields=["import_key"], condition=~models.Q(import_key=""),
                                    name="event_import_key_unique"),
        ]

    def __str__(self):
        return f"{self.when}: {self.description}"

    def clean(self):
        self.clean_date_precision()
