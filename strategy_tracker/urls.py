from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "EU CSA Strategy Tracker: administration"
admin.site.site_title = "CSA Strategy Tracker admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("initiatives.urls")),
]
