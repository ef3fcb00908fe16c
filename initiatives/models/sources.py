"""Where each fact comes from."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from initiatives.choices import Confidence

URL_RE = re.compile(r"https?://\S+")


class SourceQuerySet(models.QuerySet):
    def get_or_create_from_citation(self, citation: str) -> "Source":
        citation = " ".join(citation.split())
        url = extract_url(citation)
        source, _created = self.get_or_create(citation=citation, defaults={"url": url})
        if source.url != url:  # read with an older rule (a link cut at its closing parenthesis): mend it
            source.url = url
            source.save(update_fields=["url"])
        return source


def extract_url(citation: str) -> str:
    """The first link in a citation, without the punctuation that ends the sentence around it; a closing
    parenthesis is kept when the link opened it (https://parltrack.org/dossier/2022/0155(COD))."""
    match = URL_RE.search(citation)
    if not match:
        return ""
    url = match[0]
    while url and url[-1] in ").,;":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


class Source(models.Model):
    """A document or page a fact was taken from: a URL, a document reference (COM(2020) 607), or both.

    `citation` keeps the whole reference as the researcher wrote it, including remarks such as
    "(one source says 25 March)"; `url` is the first link found in it, if any.
    """

    citation = models.CharField(_("citation"), max_length=1000, unique=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["citation"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.citation

    @property
    def label(self) -> str:
        """The citation without its link, for showing beside the link."""
        text = self.citation.replace(self.url, "").strip(" ;:") if self.url else self.citation
        return text or self.url


def split_citations(cell: str) -> list[str]:
    """Split a CSV cell that groups several sources into one citation each.

    Sources are separated by " ; " (or "; " before a link); a semicolon inside a URL is kept.
    """
    pieces = []
    for chunk in re.split(r"\s;\s|;\s+(?=\S*https?://)|;\s+(?=[A-Z])", cell or ""):
        chunk = " ".join(chunk.split())
        if chunk:
            pieces.append(chunk)
    return pieces


class SourcedFact(models.Model):
    """A fact that carries at least one source and a confidence, and the day staff last checked it against
    its sources (`last_verified`; empty until they do: imported research data gives no such day)."""

    sources = models.ManyToManyField(Source, related_name="%(class)s_facts", blank=True,
                                     verbose_name=_("sources"))
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices,
                                  default=Confidence.MEDIUM)
    last_verified = models.DateField(
        _("last verified"), null=True, blank=True,
        help_text=_("The day staff last checked this record against its sources; empty when never checked."))

    class Meta:
        abstract = True


class PreciseDateMixin:
    """For models with a `date` and a `date_precision` field."""

    @property
    def when(self):
        from initiatives.dates import PartialDate

        return PartialDate.from_parts(self.date, self.date_precision)

    def clean_date_precision(self):
        from initiatives.dates import PartialDate

        if self.date is not None:
            interval = self.date_precision == "between"
            if interval and not hasattr(self, "date_latest"):
                raise ValidationError({"date": _("This record cannot hold a date known only to lie between two "
                                                 "days: give the day, month, quarter or year.")})
            try:
                PartialDate(self.date, self.date_precision, self.date_latest if interval else None)
            except ValueError as error:
                raise ValidationError({"date": str(error)}) from error
