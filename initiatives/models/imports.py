"""An uploaded file between its preview and its application (views/imports.py).

It waits in the database, which every app server shares: a preview made on one server can be applied on
another, with no shared folder or object store to set up. Only the user and the login session that
previewed it may apply it, on the workspace where it was previewed, within KEEP; applying it removes it in
the same transaction as the import, so it is applied at most once even when two servers receive the same
"Apply". It is working data, not a fact of the tracker: no history, never on a public page.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEEP = timedelta(hours=24)


class PendingImportQuerySet(models.QuerySet):
    def waiting(self, now=None):
        """Uploads still waiting at `now`: previewed less than KEEP ago."""
        return self.filter(created_at__gt=(now or timezone.now()) - KEEP)

    def expired(self, now=None):
        return self.filter(created_at__lte=(now or timezone.now()) - KEEP)


class PendingImport(models.Model):
    token = models.CharField(_("token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    session_key = models.CharField(_("session key"), max_length=40)
    workspace = models.CharField(_("workspace"), max_length=20)
    kind = models.CharField(_("kind of file"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    data = models.BinaryField(_("file"))
    created_at = models.DateTimeField(_("previewed at"), default=timezone.now, db_index=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("upload waiting to be applied")
        verbose_name_plural = _("uploads waiting to be applied")

    def __str__(self):
        return f"{self.filename} ({self.workspace}, {self.created_at:%Y-%m-%d %H:%M})"
