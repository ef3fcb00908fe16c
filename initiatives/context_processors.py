"""The site navigation, for base.html: public sections, and the workspace of a logged-in role."""

from django.utils.translation import gettext_lazy as _

PUBLIC_SECTIONS = [
    ("/", _("Overview")),
    ("/initiatives/", _("Initiatives")),
    ("/timeline/", _("Timeline")),
    ("/member-states/", _("Member States")),
    ("/directive/", _("Directive")),
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
    for href, label in sections:
        current = path == href if href == "/" else path.startswith(href)
        items.append({"href": href, "label": label, "current": current})
    return {"nav_items": items}
