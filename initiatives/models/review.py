"""What a Member State liaison reports, before and through the Commission's review.

A liaison writes a LiaisonReport for one article of the Directive: a draft, then submitted for review.
Staff return it with a comment, or approve it; only approval writes the public TranspositionReport
(services.approve_liaison_report). Nothing a liaison types reaches a public page before that.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.choices import NotificationStatus, ReviewState
from initiatives.dates import PartialDate, Precision

from .audit import LastChangedQuerySetMixin
from .transposition import Article, MemberState, TranspositionReport

TEXT_LIMIT = 4000
HISTORY_HIDDEN_FROM_STAFF = {"state": ReviewState.DRAFT}  # a report, or a history row of one, that is a draft


class LiaisonReportQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    def with_related(self):
        return self.select_related("member_state", "article", "submitted_by", "reviewed_by", "published")

    def editable_by(self, user):
        """A liaison's own Member State's reports; nothing for anyone else (staff review, they do not edit)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(member_state__liaisons__user=user)

    def awaiting_review(self):
        return self.filter(state=ReviewState.SUBMITTED)

    def seen_by_staff(self):
        """What the Commission may read: submitted reports (waiting, returned or approved). A draft, new or
        edited again after a review, is the liaison's until they submit it; history rows follow the same rule
        (HISTORY_HIDDEN_FROM_STAFF)."""
        return self.exclude(**HISTORY_HIDDEN_FROM_STAFF)


class LiaisonReport(models.Model):
    """A liaison's report on one article for their Member State: notification status, measure, comment."""

    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="liaison_reports",
                                     verbose_name=_("Member State"))
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="liaison_reports",
                                verbose_name=_("article"))
    state = models.CharField(_("review state"), max_length=20, choices=ReviewState.choices,
                             default=ReviewState.DRAFT)
    status = models.CharField(_("notification status"), max_length=20, choices=NotificationStatus.choices)
    measure_title = models.CharField(_("national measure: title"), max_length=500, blank=True)
    measure_reference = models.CharField(_("national measure: official reference"), max_length=200, blank=True)
    measure_date = models.DateField(_("national measure: date"), null=True, blank=True)
    measure_date_precision = models.CharField(_("national measure: date precision"), max_length=10,
                                              choices=Precision.choices, default=Precision.DAY)
    measure_url = models.URLField(_("national measure: link"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), max_length=TEXT_LIMIT, blank=True)
    review_comment = models.TextField(_("Commission's comment"), max_length=TEXT_LIMIT, blank=True,
                                      help_text=_("Why the report was returned; the liaison sees it."))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published = models.ForeignKey(TranspositionReport, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="liaison_reports", verbose_name=_("published report"))

    history = HistoricalRecords()
    objects = LiaisonReportQuerySet.as_manager()

    class Meta:
        ordering = ["member_state", "article"]
        verbose_name = _("liaison report")
        verbose_name_plural = _("liaison reports")
        constraints = [
            models.UniqueConstraint(fields=["member_state", "article"], name="liaison_report_one_per_article"),
        ]

    def __str__(self):
        return f"{self.member_state.code} art. {self.article.number}: {self.get_state_display()}"

    def get_absolute_url(self):
        return reverse("initiatives:liaison_article", args=[self.member_state.code, self.article.number])

    @property
    def measure_when(self) -> PartialDate | None:
        return PartialDate.from_parts(self.measure_date, self.measure_date_precision)

    @property
    def has_measure(self) -> bool:
        return bool(self.measure_title or self.measure_reference)

    @property
    def editable_by_liaison(self) -> bool:
        """A submitted report waits for review; every other state can be edited (approved ones anew)."""
        return self.state != ReviewState.SUBMITTED

    def clean(self):
        errors = {}
        if self.status in (NotificationStatus.PARTIAL, NotificationStatus.COMPLETE):
            if not self.measure_title:
                errors["measure_title"] = _("A notified measure needs its title.")
            if not self.measure_reference:
                errors["measure_reference"] = _("A notified measure needs its official reference.")
        if self.status == NotificationStatus.NONE and self.has_measure:
            errors["status"] = _("You name a national measure but report that none was notified: choose "
                                 "“partially notified” or “completely notified”, or remove the measure.")
        if self.measure_date is not None:
            try:
                PartialDate(self.measure_date, self.measure_date_precision)
            except ValueError as error:
                errors["measure_date"] = str(error)
        if errors:
            raise ValidationError(errors)
