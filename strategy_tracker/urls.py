from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "EU CSA Strategy Tracker: administration"
admin.site.site_title = "CSA Strategy Tracker admin"

# English pages have no language prefix (every English address stays as it was); the other offered languages
# have theirs: /fr/accounts/login/, /de/staff/. initiatives/urls/__init__.py does the same for the app's pages
# and keeps the API and the open-data files language-neutral.
urlpatterns = [
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("accounts/", include("django.contrib.auth.urls")),
        prefix_default_language=False,
    ),
    path("", include("initiatives.urls")),
]
