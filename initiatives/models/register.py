"""Copies of the Commission's register of infringement decisions, and which procedures each one listed.

The register lists active cases only: a case that is closed disappears from it. A copy is therefore
evidence twice over: a procedure it lists was open when the copy was taken, and a procedure about the same
legal act that it no longer lists, although the register had reached its latest decision, was closed by
then. The reconciliation rules live in initiatives/importers/register.py; the state they lead to is read
by initiatives/state.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .infringements import InfringementProcedure
from .sources import Source
from .transposition import LegalAct


class RegisterCopy(models.Model):
    """One copy of the register, as a file someone exported or kept, and what it said about one legal act."""

    legal_act = models.ForeignKey(LegalAct, on_delete=models.PROTECT, related_name="register_copies",
                                  verbose_name=_("legal act"))
    taken_on = models.DateField(_("taken on"), help_text=_("The day the copy was made (the register prints no "
                                                           "date of its own)."))
    newest_decision = models.DateField(
        _("newest decision"), null=True, blank=True,
        help_text=_("The newest decision date anywhere in the copy: the register had certainly reached it."))
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    rows = models.PositiveIntegerField(_("rows"))
    cases = models.PositiveIntegerField(_("cases"), help_text=_("Cases in the whole copy, every policy area."))
    cases_about_act = models.PositiveIntegerField(_("cases about the act"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="register_copies",
                               verbose_name=_("source"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on", "id"]
        verbose_name = _("copy of the Commission's register")
        verbose_name_plural = _("copies of the Commission's register")

    def __str__(self):
        return citation_for(self.taken_on)


def citation_for(taken_on) -> str:
    """How a fact taken from a copy cites it: stored once as a Source, so in one language whatever the reader's."""
    return f"Commission register of infringement decisions, copy of {taken_on.day} {taken_on:%B %Y}"


class RegisterListing(models.Model):
    """A procedure was listed, as an active case, in a copy of the register."""

    copy = models.ForeignKey(RegisterCopy, on_delete=models.CASCADE, related_name="listings",
                             verbose_name=_("copy of the register"))
    procedure = models.ForeignKey(InfringementProcedure, on_delete=models.CASCADE, related_name="listings",
                                  verbose_name=_("procedure"))

    class Meta:
        ordering = ["copy__taken_on", "procedure"]
        verbose_name = _("listing in the register")
        verbose_name_plural = _("listings in the register")
        constraints = [models.UniqueConstraint(fields=["copy", "procedure"], name="listing_once_per_copy")]

    def __str__(self):
        return f"{self.procedure} @ {self.copy.taken_on}"
