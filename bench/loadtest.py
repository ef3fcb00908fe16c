"""`make loadtest`: the production configuration under a short load that CI can afford, loopback only.

gunicorn (gunicorn.conf.py, DEBUG off, hashed static files) serves a fresh SQLite copy of the real data;
wrk sends 16 connections for 30 s, round-robin over every public page, API list endpoint and /healthz that
answers 200 beforehand. It fails on any socket error, timeout or non-2xx/3xx answer. No page cache: every
request renders. The API's anonymous rate limit is lifted for the run (it would answer 429 by design).

Environment: LOADTEST_DURATION (default 30), LOADTEST_CONNECTIONS (default 16), LOADTEST_WORKERS (default
gunicorn.conf.py's).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench.run import parse_wrk
from bench.server import ROOT, gunicorn, manage, production_env

LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


PUBLIC_PAGES = ("import json; from django.test import Client; from bench.pages import public_pages; "
                "print(json.dumps(public_pages(Client(HTTP_HOST='127.0.0.1'))))")


def public_pages(env: dict[str, str]) -> list[str]:
    """bench/pages.py's list of public pages (the one list, read from the URLconf), by a Django process on the
    load test's own database."""
    found = subprocess.run([sys.executable, "manage.py", "shell", "-c", PUBLIC_PAGES], cwd=ROOT, env=env,
                           check=True, capture_output=True, text=True)
    return json.loads(found.stdout.strip().splitlines()[-1])


def answering(base: str, pages: list[str]) -> list[str]:
    """The URLs to load: those that answer 200 now."""
    paths = [*pages, "/healthz"]
    try:
        with urllib.request.urlopen(base + "/api/", timeout=10) as response:
            paths += [urllib.parse.urlsplit(url).path for url in json.load(response).values()]
    except urllib.error.HTTPError:
        pass
    found = []
    for path in paths:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                if response.status == 200:
                    found.append(path)
        except urllib.error.HTTPError as error:
            print(f"  left out {path}: {error.code}")
    return found


def main() -> int:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make loadtest installs it)")
    duration = int(os.environ.get("LOADTEST_DURATION", "30"))
    connections = int(os.environ.get("LOADTEST_CONNECTIONS", "16"))
    with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
        folder = Path(folder)
        env = production_env(DJANGO_SETTINGS_MODULE="strategy_tracker.settings",
                             DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", STATIC_ROOT=str(folder / "static"),
                             API_ANON_RATE="100000000/minute", PAGE_CACHE_SECONDS="0")
        print("== load test: a fresh SQLite copy of the real data, static files, gunicorn", flush=True)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_real_data", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        workers = int(os.environ.get("LOADTEST_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
        with gunicorn(env, workers=workers, log=folder / "gunicorn.log") as base:
            paths = answering(base, public_pages(env))
            script = folder / "paths.lua"
            script.write_text(LUA % ", ".join(f'"{path}"' for path in paths), encoding="utf-8")
            print(f"== wrk: {connections} connections, {duration} s, round-robin over {len(paths)} URLs: "
                  f"{' '.join(paths)}", flush=True)
            result = subprocess.run(["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s",
                                     "--timeout", "10s", "--latency", "-s", str(script), base],
                                    capture_output=True, text=True, check=True)
        print(result.stdout, flush=True)
        outcome = parse_wrk(result.stdout)
        errors_in_log = [line for line in (folder / "gunicorn.log").read_text().splitlines()
                         if " ERROR " in line or "Traceback" in line]
    print(f"requests: {outcome['requests']}, {outcome['requests_per_s']:.0f}/s, p50 {outcome['p50_ms']} ms, "
          f"p99 {outcome['p99_ms']} ms, errors: {outcome['errors']}, server errors logged: {len(errors_in_log)}")
    if outcome["requests"] == 0 or outcome["errors"] or errors_in_log:
        print("FAIL: the load test saw errors" + "".join(f"\n  {line}" for line in errors_in_log[:10]))
        return 1
    print("load test: zero errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
