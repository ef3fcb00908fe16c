from django.urls import path

from initiatives.views import as_recorded

urlpatterns = [
    path("staff/as-recorded/", as_recorded.AsRecordedView.as_view(), name="staff_as_recorded"),
]
