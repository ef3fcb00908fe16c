"""The app's URLs plus /bench/trivial/: the cheapest Django response through the same middleware, the
yardstick for the overview's throughput. Only bench.settings uses this URLconf."""

from django.http import HttpResponse
from django.urls import include, path


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("", include("strategy_tracker.urls")),
]
