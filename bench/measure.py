"""In-process measurement of one synthetic database: for each page and API list endpoint that answers 200, the
number of SQL queries and the server time of single requests (Django's test client; no network, no page cache,
no data cache: every figure is computed).

Run by bench/run.py as `python -m bench.measure` with DJANGO_SETTINGS_MODULE=bench.settings: one process per
size, answering one JSON line per command read on stdin, so that run.py can time the sizes in turn, request by
request (on a shared machine, a burst of load then falls on both sizes alike):

    paths              -> the pages and API list endpoints to measure (bench/pages.py)
    volume             -> how many procedures, decisions, events the database holds
    probe PATH         -> its status, SQL queries (after two warming requests) and size in bytes
    time PATH          -> the milliseconds of one request
"""

from __future__ import annotations

import json
import sys
import time

from bench.pages import public_urls

TRIVIAL = "/bench/trivial/"


def probe(client, path: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(path)
    if first.status_code != 200:
        return {"path": path, "status": first.status_code}
    client.get(path)  # warm: templates compiled, caches of the process filled
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return {"path": path, "status": 200, "queries": len(captured), "bytes": len(first.content)}


def timed(client, path: str) -> float:
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return round(elapsed, 3)


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from initiatives.models import Decision, InfringementProcedure, KeyActionEvent

    settings.PAGE_CACHE_SECONDS = settings.DATA_CACHE_SECONDS = 0  # measured uncached: every figure computed
    client = Client()
    for line in sys.stdin:
        command, _sep, path = line.strip().partition(" ")
        if command == "paths":
            answer = [TRIVIAL, *public_urls(client)]  # bench/pages.py: from the URLconf and the API root
        elif command == "volume":
            answer = {"procedures": InfringementProcedure.objects.count(), "decisions": Decision.objects.count(),
                      "events": KeyActionEvent.objects.count()}
        elif command == "probe":
            answer = probe(client, path)
        elif command == "time":
            answer = timed(client, path)
        else:
            answer = {"error": f"unknown command {command!r}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
