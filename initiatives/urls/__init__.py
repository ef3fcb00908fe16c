"""All URLs of the app, one module per audience. The namespace is "initiatives".

The pages live under a language prefix (/fr/..., /de/...; English has none, so every English address is as it
was); what machines read stays language-neutral, at one address: the API, the open-data files, the health
check, the status colours' stylesheet, and the link that chooses a language.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path
from django.urls.resolvers import RoutePattern, URLResolver

from initiatives.views import language

from .api import urlpatterns as api_urls
from .as_recorded import urlpatterns as as_recorded_urls
from .deadlines import urlpatterns as deadline_urls
from .freshness import urlpatterns as freshness_urls
from .health import urlpatterns as health_urls
from .imports import urlpatterns as import_urls
from .legislation import urlpatterns as legislation_urls
from .liaison import urlpatterns as liaison_urls
from .open_data import urlpatterns as open_data_urls
from .public import urlpatterns as public_urls
from .reader import urlpatterns as reader_urls
from .staff import urlpatterns as staff_urls

app_name = "initiatives"
# The upload pages come before the staff and liaison workspaces, whose patterns could otherwise shadow them.
all_urls = (public_urls + import_urls + deadline_urls + as_recorded_urls + staff_urls + liaison_urls + health_urls
            + api_urls + open_data_urls)
all_urls += freshness_urls  # /staff/needs-checking/: no other pattern shadows it
all_urls += reader_urls  # /search/ and /accounts/home/: no other pattern shadows them
all_urls += legislation_urls  # /legislation/ and /staff/legislation/: no other pattern shadows them

NEUTRAL = {"status_colours_css", "favicon", "healthz", "open_data_zip", "open_data_datapackage", "open_data_table"}
neutral_urls = [pattern for pattern in all_urls if pattern in api_urls or getattr(pattern, "name", None) in NEUTRAL]
page_urls = [pattern for pattern in all_urls if pattern not in neutral_urls]

urlpatterns = [
    *neutral_urls,
    path("language/<str:code>/", language.choose_language, name="choose_language"),
    # The pages under the language prefix. Django refuses i18n_patterns() at the top of an included URLconf
    # because LocaleMiddleware only looks for the prefix in the root URLconf: strategy_tracker/urls.py puts
    # the admin and the log-in pages there under the same prefix, so the middleware reads the language from
    # every prefixed path. One level down, the namespace stays one (neutral and page names alike).
    URLResolver(RoutePattern("", is_endpoint=False), i18n_patterns(*page_urls, prefix_default_language=False)),
]
