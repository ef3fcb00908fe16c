"""For base.html: the site navigation (public sections, and the workspace of a logged-in role) and the languages."""

import re
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from initiatives.language import page_in

AS_OF_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

PUBLIC_SECTIONS = [
    ("initiatives:overview", _("Overview")),
    ("initiatives:initiative_list", _("Initiatives")),
    ("initiatives:timeline", _("Timeline")),
    ("initiatives:member_state_list", _("Member States")),
    ("initiatives:directive_matrix", _("Directive")),
    ("initiatives:legislation_list", _("Legislation")),
    ("initiatives:infringement_list", _("Infringements")),
    ("initiatives:about", _("About")),
]


@lru_cache(maxsize=64)
def public_section_urls(_language: str, _urlconf: str, _script_prefix: str) -> tuple[str, ...]:
    """The overview's address ("/" in English, "/fr/" in French), then each public section's, in the active
    language: reversed once per language, URLconf and script prefix (what reverse() reads), not on every page."""
    return (reverse("initiatives:overview"), *(reverse(name) for name, _label in PUBLIC_SECTIONS))


def navigation(request):
    """The menu's items, worked out when the template first reads them (see languages())."""
    return {"nav_items": SimpleLazyObject(lambda: _navigation(request))}


def _navigation(request):
    from initiatives.roles import is_staff_member

    path = request.path
    items = []
    home, *public = public_section_urls(get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    # A reader looking at a past date stays on it from page to page (the public pages read `?as_of=`).
    as_of = request.GET.get("as_of", "") if hasattr(request, "GET") else ""
    keep = f"?as_of={as_of}" if AS_OF_RE.match(as_of) else ""
    sections = [(href, label, keep) for href, (_name, label) in zip(public, PUBLIC_SECTIONS, strict=True)]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if is_staff_member(user):
            sections.append((reverse("initiatives:staff_home"), _("Staff workspace"), ""))
        if hasattr(user, "liaison"):
            sections.append((reverse("initiatives:liaison_home"), _("My Member State"), ""))
    for href, label, query in sections:
        current = path == href if href == home else path.startswith(href)
        items.append({"href": href + query, "label": label, "current": current})
    return items


def languages(request):
    """The language switcher (each language named in itself, a link that remembers the choice) and the page's
    addresses in every language (<link rel="alternate" hreflang>), for a page that has them: worked out when the
    template first reads them (base.html keeps an anonymous visitor's in its fragments cache, unread)."""
    found = SimpleLazyObject(lambda: _languages(request))
    return {"language_switcher": lambda: found["language_switcher"],
            "language_alternates": lambda: found["language_alternates"]}


def _languages(request):
    current = get_language()
    full_path = request.get_full_path()
    switcher, alternates = [], []
    for code, name in settings.LANGUAGES:
        url = page_in(full_path, code)
        try:
            choose = reverse("initiatives:choose_language", args=[code])
        except NoReverseMatch:
            continue
        switcher.append({"code": code, "name": name, "current": code == current,
                         "href": f"{choose}?{urlencode({'next': url})}"})
        alternates.append({"code": code, "href": request.build_absolute_uri(url)})
    has_alternates = len({item["href"] for item in alternates}) > 1  # the API and the files have one address
    if has_alternates:
        default = next(item["href"] for item in alternates if item["code"] == settings.LANGUAGE_CODE)
        alternates.append({"code": "x-default", "href": default})
    return {"language_switcher": switcher if len(switcher) > 1 else [],
            "language_alternates": alternates if has_alternates else []}
