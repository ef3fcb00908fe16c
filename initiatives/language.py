"""The reader's language: the page at a language's address, and the choice a reader made, remembered.

The language of a page is in its address (/fr/..., /de/...; English has none: strategy_tracker/urls.py).
A reader chooses a language with the switcher (views/language.py), which keeps the choice in Django's language
cookie; RememberedLanguageMiddleware then sends a reader who chose French and opens a page at its English
address to the same page in French. Choosing English clears the cookie. The API, the open-data files and the
other language-neutral addresses are never redirected.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import get_urlconf, translate_url
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language, get_language_from_path, override


def offered(code: str | None) -> bool:
    return bool(code) and code in dict(settings.LANGUAGES)


def page_in(path: str, code: str) -> str:
    """The address of the page at `path` (in the active language) in language `code`; `path` if it has none.
    The query string is kept as it is."""
    parts = urlsplit(path)
    translated = _path_in(parts.path, get_language(), code, get_urlconf() or settings.ROOT_URLCONF,
                          tuple(settings.LANGUAGES))
    return urlunsplit(parts._replace(path=translated))


@lru_cache(maxsize=4096)
def _path_in(path: str, active: str, code: str, _urlconf: str, _languages: tuple) -> str:
    """translate_url (a resolve and a reverse) once per path, language and URLconf: every page asks it for each
    language (the switcher, the alternates, the remembered choice)."""
    with override(active):
        return translate_url(path, code)


def has_languages(path: str) -> bool:
    """Whether the page at `path` (an English address) exists in the other languages: not the API, not a file."""
    others = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
    return bool(others) and page_in(path, others[0]) != path


class RememberedLanguageMiddleware:
    """After LocaleMiddleware, before the page cache: the chosen language's page for an English address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if get_language_from_path(request.path_info):
            return self.get_response(request)
        full_path = request.get_full_path()
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if (request.method in ("GET", "HEAD") and chosen != settings.LANGUAGE_CODE and offered(chosen)
                and (target := page_in(full_path, chosen)) != full_path):
            response = HttpResponseRedirect(target)
        else:
            response = self.get_response(request)
        if has_languages(request.path_info):
            # The same English address answers a reader who chose another language with a redirect.
            patch_vary_headers(response, ["Cookie"])
        return response
