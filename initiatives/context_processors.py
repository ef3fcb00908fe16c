"""The site navigation, for base.html: public sections, and the workspace of a logged-in role."""

import re

from django.utils.translation import gettext_lazy as _

AS_OF_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

PUBLIC_SECTIONS = [
    ("/", _("Overview")),
    ("/initiatives/", _("Initiatives")),
    ("/timeline/", _("Timeline")),
    ("/member-states/", _("Member States")),
    ("/directive/", _("Directive")),
    ("/legislation/", _("Legislation")),
    ("/infringements/", _("Infringements")),
    ("/about/", _("About")),
]


def navigation(request):
    from initiatives.roles import is_staff_member

    path = request.path
    items = []
    sections = list(PUBLIC_SECTIONS)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if is_staff_member(user):
            sections.append(("/staff/", _("Staff workspace")))
        if hasattr(user, "liaison"):
            sections.append(("/liaison/", _("My Member State")))
    # A reader looking at a past date stays on it from page to page (the public pages read `?as_of=`).
    as_of = request.GET.get("as_of", "") if hasattr(request, "GET") else ""
    keep = f"?as_of={as_of}" if AS_OF_RE.match(as_of) else ""
    for href, label in sections:
        current = path == href if href == "/" else path.startswith(href)
        public = (href, label) in PUBLIC_SECTIONS
        items.append({"href": href + keep if public else href, "label": label, "current": current})
    return {"nav_items": items}
