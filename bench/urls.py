"""The app's URLs plus /bench/trivial/: the cheapest Django response through the same middleware, the
yardstick for the overview's throughput. Only bench.settings uses this URLconf."""

from django.http import HttpResponse
from django.urls import path

from strategy_tracker.urls import urlpatterns as project_urlpatterns


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    # The project's patterns themselves, not include(): they hold i18n_patterns, which Django allows only at
    # the root of a URLconf.
    *project_urlpatterns,
]
