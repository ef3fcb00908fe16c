"""Member States, the Directive and its articles, and how each Member State transposed each article.

What a Member State reports (TranspositionReport) and what the Commission assessed (Assessment) are two
separate records, each with its own as-of date and sources: they may disagree, and the public sees both.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from initiatives.choices import (
    ASSESSMENT_MATCHING_REPORT,
    ArticleGroup,
    AssessmentStatus,
    FindingKind,
    FindingSource,
    Lagging,
    LegalActKind,
    NotificationStatus,
)
from initiatives.dates import Precision
from initiatives.member_state_names import member_state_name

from .audit import LastChangedQuerySetMixin
from .sources import PreciseDateMixin, Source, SourcedFact


def report_and_assessment_disagree(reported: str | None, assessed: str | None) -> bool:
    """True when what a Member State reports and what the Commission assessed say different things.

    "Completely notified" agrees with "conform", "partially notified" with "partially conform", "no
    measures notified" with "non-conform". Nothing to compare (no report, or not assessed) is no
    disagreement: the public pages show those as unknown or not assessed.
    """
    if not reported or not assessed or assessed == AssessmentStatus.NOT_ASSESSED:
        return False
    return ASSESSMENT_MATCHING_REPORT.get(reported) != assessed


class MemberStateQuerySet(models.QuerySet):
    def bound(self):
        return self.filter(bound_by_directive=True)


class MemberState(models.Model):
    """An EU Member State. `code` is the EU code (EL for Greece); ISO codes are kept beside it."""

    code = models.CharField(_("EU code"), max_length=2, unique=True)
    iso_alpha2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, unique=True)
    iso_alpha3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    accession_year = models.PositiveSmallIntegerField(
        _("accession year"), help_text=_("Founders: 1958, the year the EEC Treaty entered into force."))
    protocol_order = models.PositiveSmallIntegerField(_("protocol order"), unique=True)
    bound_by_directive = models.BooleanField(
        _("bound by Directive 2011/93/EU"), default=True,
        help_text=_("Denmark is not bound, by its opt-out from justice and home affairs."))
    bound_source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("source for being bound or not"))

    history = HistoricalRecords()
    objects = MemberStateQuerySet.as_manager()

    class Meta:
        ordering = ["protocol_order"]
        verbose_name = _("Member State")
        verbose_name_plural = _("Member States")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="member_state_code_form"),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("initiatives:member_state_detail", args=[self.code])

    def natural_key(self):
        return (self.code,)

    @property
    def display_name(self) -> str:
        """The short name in the reader's language (`name` is the English one, stored as data)."""
        return member_state_name(self.name)


class LegalAct(models.Model):
    """A legal act whose transposition is tracked, with its successor (a recast) if there is one."""

    short_name = models.CharField(_("short name"), max_length=100, unique=True)
    celex = models.CharField(_("CELEX or document number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=LegalActKind.choices)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    transposition_deadline = models.DateField(_("transposition deadline"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    successor = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="predecessors", verbose_name=_("successor"))
    register_patterns = models.TextField(
        _("patterns in the Commission's register"), blank=True,
        help_text=_("How the Commission's register of infringement decisions names this act in a case's "
                    "title, one pattern per line (for Directive 2011/93/EU: 2011/93). A case whose title "
                    "contains one of them is about this act."))
    sources = models.ManyToManyField(Source, related_name="legal_acts", blank=True, verbose_name=_("sources"))

    class Meta:
        ordering = ["adopted_on", "short_name"]
        verbose_name = _("legal act")
        verbose_name_plural = _("legal acts")

    def __str__(self):
        return self.short_name

    def natural_key(self):
        return (self.celex,)

    @property
    def register_pattern_list(self) -> list[str]:
        return [line.strip() for line in self.register_patterns.splitlines() if line.strip()]

    def clean(self):
        if self.successor_id is not None and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A legal act cannot succeed itself.")})


class Article(SourcedFact):
    """A provision (article) of a legal act."""

    legal_act = models.ForeignKey(LegalAct, on_delete=models.PROTECT, related_name="articles",
                                  verbose_name=_("legal act"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    group = models.CharField(_("group"), max_length=30, choices=ArticleGroup.choices)
    known_lagging = models.CharField(
        _("known to lag"), max_length=10, choices=Lagging.choices, default=Lagging.UNKNOWN,
        help_text=_("Whether Commission reports name this article among those Member States lag on."))

    history = HistoricalRecords()

    class Meta:
        ordering = ["legal_act", "number"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["legal_act", "number"], name="article_number_unique"),
        ]

    def __str__(self):
        return _("Art. %(number)s %(title)s") % {"number": self.number, "title": self.title}

    def natural_key(self):
        return (self.legal_act.celex, self.number)


class NationalMeasure(PreciseDateMixin, models.Model):
    """A national law or regulation a Member State notified as transposing the Directive."""

    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="national_measures",
                                     verbose_name=_("Member State"))
    title = models.CharField(_("title"), max_length=500)
    reference = models.CharField(_("official reference"), max_length=200)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(_("date precision"), max_length=10, choices=Precision.choices,
                                      default=Precision.DAY)
    url = models.URLField(_("link"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["member_state", "reference"]
        verbose_name = _("national measure")
        verbose_name_plural = _("national measures")
        constraints = [
            models.UniqueConstraint(fields=["member_state", "reference"], name="national_measure_unique"),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"


class TranspositionReportQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    def published(self):
        """What the public may see. A liaison's input lives in LiaisonReport until staff approve it; only
        services.approve_liaison_report (or staff through the admin and the importers) writes here. So
        every row is published; public pages still call published() so the rule has one home."""
        return self

    def with_related(self):
        return self.select_related("member_state", "article").prefetch_related("measures", "sources")

    def with_assessment(self):
        """Annotate `assessment_status` (the Commission's assessment of the same Member State and
        article, or None) in the same query; `disagrees_with_assessment` then needs no further query."""
        assessed = Assessment.objects.filter(member_state=OuterRef("member_state"), article=OuterRef("article"))
        return self.annotate(assessment_status=Subquery(assessed.values("status")[:1]))


class TranspositionReport(PreciseDateMixin, SourcedFact):
    """What a Member State reports it has notified for one article, as of a date."""

    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="reports",
                                     verbose_name=_("Member State"))
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="reports",
                                verbose_name=_("article"))
    status = models.CharField(_("notification status"), max_length=20, choices=NotificationStatus.choices)
    measures = models.ManyToManyField(NationalMeasure, related_name="reports", blank=True,
                                      verbose_name=_("national measures"))
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    date = models.DateField(_("as of"))
    date_precision = models.CharField(_("as-of precision"), max_length=10, choices=Precision.choices,
                                      default=Precision.DAY)

    history = HistoricalRecords(m2m_fields=["measures", "sources"])
    objects = TranspositionReportQuerySet.as_manager()

    class Meta:
        ordering = ["member_state", "article"]
        verbose_name = _("transposition report")
        verbose_name_plural = _("transposition reports")
        constraints = [
            models.UniqueConstraint(fields=["member_state", "article"], name="report_one_per_article"),
        ]

    def __str__(self):
        return f"{self.member_state.code} art. {self.article.number}: {self.get_status_display()}"

    def clean(self):
        self.clean_date_precision()

    def disagrees_with(self, assessment: "Assessment | None") -> bool:
        """True when the Commission's assessment of this article says something else than this report."""
        return report_and_assessment_disagree(self.status, assessment.status if assessment else None)

    @property
    def disagrees_with_assessment(self) -> bool:
        """Like disagrees_with(), from the `assessment_status` annotation of with_assessment()."""
        if not hasattr(self, "assessment_status"):
            assessment = Assessment.objects.filter(member_state_id=self.member_state_id,
                                                   article_id=self.article_id).first()
            return self.disagrees_with(assessment)
        return report_and_assessment_disagree(self.status, self.assessment_status)


class AssessmentQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    def published(self):
        """The Commission's assessments are set by staff only, so every row is published."""
        return self

    def with_related(self):
        return self.select_related("member_state", "article").prefetch_related("sources")


class Assessment(PreciseDateMixin, SourcedFact):
    """The Commission's assessment of one Member State's transposition of one article, as of a date."""

    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="assessments",
                                     verbose_name=_("Member State"))
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="assessments",
                                verbose_name=_("article"))
    status = models.CharField(_("Commission assessment"), max_length=20, choices=AssessmentStatus.choices,
                              default=AssessmentStatus.NOT_ASSESSED)
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    date = models.DateField(_("as of"))
    date_precision = models.CharField(_("as-of precision"), max_length=10, choices=Precision.choices,
                                      default=Precision.DAY)

    history = HistoricalRecords(m2m_fields=["sources"])
    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["member_state", "article"]
        verbose_name = _("Commission assessment")
        verbose_name_plural = _("Commission assessments")
        constraints = [
            models.UniqueConstraint(fields=["member_state", "article"], name="assessment_one_per_article"),
        ]

    def __str__(self):
        return f"{self.member_state.code} art. {self.article.number}: {self.get_status_display()}"

    def clean(self):
        self.clean_date_precision()

    def disagrees_with(self, report: "TranspositionReport | None") -> bool:
        """True when the Member State's published report on this article says something else."""
        return report_and_assessment_disagree(report.status if report else None, self.status)


# The articles of Directive 2011/93/EU that oblige Member States: Arts 2-25 and 27. Art. 1 (subject matter),
# Art. 26 (replacement of Framework Decision 2004/68/JHA), Art. 28 (the Commission's reports), Art. 29 (entry
# into force) and Art. 30 (addressees) oblige no Member State: they are shown, never counted in a Member State's
# figures, and liaisons do not report on them.
OBLIGING_ARTICLES = frozenset(range(2, 26)) | {27}


DIRECTIVE_CELEX = "32011L0093"


def obliges_member_states(article) -> bool:
    """Whether `article` (of the Directive) is one a Member State has to transpose."""
    return article.number in OBLIGING_ARTICLES


def directive_articles() -> models.QuerySet:
    """The articles of Directive 2011/93/EU, in order."""
    return Article.objects.filter(legal_act__celex=DIRECTIVE_CELEX).order_by("number")


def obliging_articles() -> models.QuerySet:
    """The Directive's articles that oblige Member States, in order: the articles a liaison reports on, and the
    only ones a Member State's figures count (its page, the table of /member-states/, the EU averages)."""
    return directive_articles().filter(number__in=OBLIGING_ARTICLES)


class ArticleFindingQuerySet(LastChangedQuerySetMixin, models.QuerySet):
    def published(self):
        return self


class ArticleFinding(PreciseDateMixin, SourcedFact):
    """What a source found about one Member State's transposition of an article or a group of articles.

    A finding on a group ("the prevention articles, 10 and 21-25") is one finding on one or more of them, never
    a finding on each: `articles` holds the group, `article_reference` the group as the source put it."""

    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="findings",
                                     verbose_name=_("Member State"))
    articles = models.ManyToManyField(Article, related_name="findings", verbose_name=_("articles (one or more of)"))
    article_reference = models.CharField(_("articles as cited"), max_length=60,
                                         help_text=_("27, 3-7, 10,21-25, 15(2)"))
    finding = models.CharField(_("finding"), max_length=30, choices=FindingKind.choices)
    assessed_by = models.CharField(_("made by"), max_length=30, choices=FindingSource.choices)
    summary = models.TextField(_("summary"), max_length=2000)
    date = models.DateField(_("date"))
    date_precision = models.CharField(_("date precision"), max_length=10, choices=Precision.choices,
                                      default=Precision.DAY)

    history = HistoricalRecords(m2m_fields=["sources", "articles"])
    objects = ArticleFindingQuerySet.as_manager()

    class Meta:
        ordering = ["member_state", "date", "id"]
        verbose_name = _("finding on articles")
        verbose_name_plural = _("findings on articles")
        constraints = [
            models.UniqueConstraint(fields=["member_state", "article_reference", "date", "finding"],
                                    name="article_finding_unique"),
        ]

    def __str__(self):
        return f"{self.member_state_id} {self.article_reference}: {self.get_finding_display()}"

    @property
    def is_group(self) -> bool:
        return not re.fullmatch(r"\d+(\(\d+\))?", self.article_reference)

    def clean(self):
        self.clean_date_precision()
