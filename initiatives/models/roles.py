"""Who may edit what: roles are Django groups; a liaison is also tied to exactly one Member State."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .transposition import MemberState


class Liaison(models.Model):
    """A Member State liaison: reports their own Member State's transposition, nothing else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="liaison",
                                verbose_name=_("user"))
    member_state = models.ForeignKey(MemberState, on_delete=models.PROTECT, related_name="liaisons",
                                     verbose_name=_("Member State"))

    class Meta:
        ordering = ["member_state", "user__username"]
        verbose_name = _("Member State liaison")
        verbose_name_plural = _("Member State liaisons")

    def __str__(self):
        return f"{self.user} ({self.member_state.code})"
