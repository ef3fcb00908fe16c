"""In-process measurement of one synthetic database: for each page and API list endpoint that answers 200, the
number of SQL queries and the median server time (Django's test client; no network, no page cache).

Run by bench/run.py as `python -m bench.measure OUT.json` with DJANGO_SETTINGS_MODULE=bench.settings.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from urllib.parse import urlsplit

# Public pages to measure, if they exist; API list endpoints are read from the API's root (/api/).
PAGES = ["/", "/initiatives/", "/initiatives/1/", "/timeline/", "/member-states/", "/member-states/DE/",
         "/directive/", "/infringements/", "/about/", "/open-data/", "/feed/",
         # the same pages on a past day compute the state from every dated record (issue 7)
         "/?as_of=2021-12-31", "/timeline/?as_of=2021-12-31", "/member-states/?as_of=2021-12-31",
         "/infringements/?as_of=2021-12-31"]
TRIVIAL = "/bench/trivial/"


def api_list_endpoints(client) -> list[str]:
    response = client.get("/api/", HTTP_ACCEPT="application/json")
    if response.status_code != 200:
        return []
    return sorted(urlsplit(url).path for url in response.json().values() if isinstance(url, str))


def measure(client, path: str, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(path)
    if first.status_code != 200:
        return {"path": path, "status": first.status_code}
    client.get(path)  # warm: templates compiled, caches of the process filled
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = len(captured)  # now: the log it reads is cleared by the requests that follow
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, f"{path} answered {response.status_code}"
    return {"path": path, "status": 200, "queries": queries, "median_ms": round(statistics.median(timings), 2),
            "min_ms": round(min(timings), 2), "bytes": len(first.content)}


def main(out: str) -> None:
    import django

    django.setup()
    from django.test import Client

    from initiatives.models import Decision, InfringementProcedure, KeyActionEvent

    runs = int(os.environ.get("BENCH_RUNS", "15"))
    client = Client()
    paths = [TRIVIAL, *PAGES, *api_list_endpoints(client)]
    results = [measure(client, path, runs) for path in paths]
    volume = {"procedures": InfringementProcedure.objects.count(), "decisions": Decision.objects.count(),
              "events": KeyActionEvent.objects.count()}
    with open(out, "w", encoding="utf-8") as stream:
        json.dump({"volume": volume, "runs": runs, "results": results}, stream, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
