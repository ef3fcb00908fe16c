"""Staff: the copies of the Commission's register of infringement decisions the tracker has read."""

from __future__ import annotations

from django.views.generic import ListView

from initiatives.models import RegisterCopy

from .mixins import StaffRequiredMixin


class RegisterCopyListView(StaffRequiredMixin, ListView):
    """Every copy with the day it was taken, its file and checksum, what it held and who imported it; newest
    first. Each is the source of the facts it gave."""

    template_name = "initiatives/staff/register_copies.html"
    context_object_name = "copies"

    def get_queryset(self):
        return (RegisterCopy.objects.select_related("legal_act", "imported_by", "source")
                .order_by("-taken_on", "-id"))
