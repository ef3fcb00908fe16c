from django.urls import path

from initiatives.views import deadlines

urlpatterns = [
    path("staff/deadlines/", deadlines.DeadlinesView.as_view(), name="staff_deadlines"),
]
