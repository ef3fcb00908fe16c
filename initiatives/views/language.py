"""/language/<code>/?next=<page>: the language switcher's link. Remembers the choice and opens the page in it."""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from initiatives.language import offered, page_in


@require_safe
def choose_language(request, code):
    if not offered(code):
        raise Http404(_("The tracker is not offered in this language."))
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not next_url.startswith("/"):
        next_url = "/"
    # The page is read in the language of its own address, then given in the chosen one.
    with translation.override(translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE):
        target = page_in(next_url, code)
    response = HttpResponseRedirect(target)
    if code == settings.LANGUAGE_CODE:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                               domain=settings.LANGUAGE_COOKIE_DOMAIN, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    else:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    add_never_cache_headers(response)
    return response
