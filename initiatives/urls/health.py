from django.urls import path

from initiatives.views import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
]
