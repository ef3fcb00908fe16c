"""Pages every reader shares: the search, and where one lands after logging in."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import path
from django.views.decorators.http import require_safe

from initiatives.views import account
from initiatives.views import search as search_views


@require_safe
def favicon(request):
    """Pages without our <link rel="icon"> (the API's browsable pages) make the browser ask for /favicon.ico."""
    return HttpResponsePermanentRedirect(static("initiatives/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("search/", search_views.search, name="search"),
    path("accounts/home/", account.after_login, name="after_login"),
]
