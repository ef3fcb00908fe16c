from django.urls import path

from initiatives.views import freshness

urlpatterns = [
    path("staff/needs-checking/", freshness.NeedsCheckingView.as_view(), name="staff_needs_checking"),
]
