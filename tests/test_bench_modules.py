"""`make bench` and `make loadtest` run outside the suite (CI runs the load test once, after it): their modules
must at least import. A merge once left bench/loadtest.py importing a list that had moved to bench/pages.py, and
only CI's load test found it."""

import importlib

import pytest


@pytest.mark.parametrize("module", ["bench.run", "bench.loadtest", "bench.measure", "bench.weight",
                                    "bench.lighthouse", "bench.pages", "bench.server", "bench.targets",
                                    "bench.urls"])
def test_the_benchmark_modules_import(module):
    importlib.import_module(module)


def test_the_benchmark_urlconf_serves_the_trivial_view_and_every_page():
    """bench/urls.py once included the project's URLconf, which holds i18n_patterns: Django refuses that, and
    `make bench` stopped at its first migrate."""
    from django.urls import resolve
    from django.utils import translation

    assert resolve("/bench/trivial/", urlconf="bench.urls").url_name == "bench-trivial"
    assert resolve("/", urlconf="bench.urls").func is resolve("/").func
    with translation.override("fr"):  # as LocaleMiddleware does for a /fr/ address
        assert resolve("/fr/accounts/login/", urlconf="bench.urls").func is resolve("/fr/accounts/login/").func


def fresh_bench_settings(monkeypatch, tmp_path):
    """bench.settings as a fresh import, on a synthetic SQLite file of the test's own."""
    import sys

    monkeypatch.setenv("BENCH_DATABASE_URL", f"sqlite:///{tmp_path / 'bench.sqlite3'}")
    sys.modules.pop("bench.settings", None)
    try:
        return importlib.import_module("bench.settings")
    finally:
        sys.modules.pop("bench.settings", None)


def test_the_benchmark_settings_log_to_standard_error(monkeypatch, tmp_path):
    """bench/measure.py answers on standard output, one JSON line per command; bench.settings logged there, so
    the first "Not Found" (bench/pages.py tries every named URL) broke `make bench` with a JSONDecodeError."""
    bench_settings = fresh_bench_settings(monkeypatch, tmp_path)
    streams = [handler.get("stream") for handler in bench_settings.LOGGING["handlers"].values()]
    assert streams and all(stream == "ext://sys.stderr" for stream in streams)


def test_the_benchmark_logs_a_server_error_but_not_the_urls_its_probe_misses(monkeypatch, tmp_path):
    """`make bench` printed "Not Found: /language/BE/" among its results: bench/pages.py tries every named URL
    with example arguments (a Member State's code as a language's) and keeps those that answer. A miss is not
    logged; a server error still is."""
    import logging.config

    bench_settings = fresh_bench_settings(monkeypatch, tmp_path)
    root, request_logger = logging.getLogger(), logging.getLogger("django.request")
    handlers, level, request_level = root.handlers[:], root.level, request_logger.level
    try:
        logging.config.dictConfig(bench_settings.LOGGING)
        assert not request_logger.isEnabledFor(logging.WARNING)  # "Not Found: ..."
        assert request_logger.isEnabledFor(logging.ERROR)  # "Internal Server Error: ..."
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        request_logger.setLevel(request_level)


def test_lighthouse_runs_again_when_it_loses_the_trace(monkeypatch):
    """`make bench` once reported NO_NAVSTART for /infringements/ after two runs in a row lost the trace."""
    import subprocess

    from bench import lighthouse

    calls = []

    def flaky(url):
        calls.append(url)
        if len(calls) < 3:
            raise subprocess.CalledProcessError(1, "lighthouse", stderr=b"NO_NAVSTART")
        return {"performance": 100}

    monkeypatch.setattr(lighthouse, "audit", flaky)
    assert lighthouse.run("http://127.0.0.1:1", ["/infringements/"]) == {"/infringements/": {"performance": 100}}
    calls.clear()
    monkeypatch.setattr(lighthouse, "audit", lambda url: (_ for _ in ()).throw(
        subprocess.CalledProcessError(1, "lighthouse", stderr=b"NO_NAVSTART")))
    assert lighthouse.run("http://127.0.0.1:1", ["/"]) == {"/": {"error": "NO_NAVSTART"}}


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_analyses_a_postgresql_database_after_loading_it(tmp_path):
    """bench/run.py measures the steady state: the planner's statistics gathered, as autovacuum does soon after a
    bulk load. On SQLite it asks for nothing (the app never does) and creates no file."""
    from django.db import connection

    from bench.run import analyse

    analyse(f"sqlite:///{tmp_path / 'none.sqlite3'}")
    assert not (tmp_path / "none.sqlite3").exists()
    if connection.vendor != "postgresql":
        return
    settings = connection.settings_dict
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    url = f"postgres://{settings['USER']}@{host}/{settings['NAME']}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_reset()")
    analyse(url)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'initiatives_decision' "
                       "AND last_analyze IS NOT NULL")
        assert cursor.fetchone()[0] == 1


def test_the_benchmark_says_how_much_more_a_page_shows_at_the_larger_size(capsys):
    """A list not full at 1x (a feed's 10 entries, 50 at 50x) grows with what it shows: the table gives the
    response's size ratio beside the time ratio, so that a reader can tell that from a cost that grows with the
    data."""
    from bench.run import print_table, summarise

    def measured(median, size):
        return {"results": [{"path": "/feed/", "status": 200, "queries": 6, "bytes": size, "median_ms": median,
                             "min_ms": median}]}

    summary = summarise([1, 50], {1: measured(10.0, 8000), 50: measured(16.0, 36000)}, {}, "SQLite")
    row = summary["pages"][0]
    assert (row["time_ratio"], row["time_ratio_ok"], row["bytes_ratio"]) == (1.6, False, 4.5)
    print_table([1, 50], summary, {}, "SQLite")
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("/feed/"))
    assert line.split()[-5:] == ["1.60", "NO", "+6.0ms", "1.60", "4.5"]


def test_the_benchmark_gives_the_milliseconds_a_page_grows_by_beside_its_ratio():
    """The ratio divides by the time at the smaller size: a page made faster at both sizes by the same
    milliseconds shows a higher ratio though it grows by no more. The table says by how many milliseconds each
    URL grows, so that a reader can tell the two apart."""
    from bench.run import summarise

    def measured(median):
        return {"results": [{"path": "/", "status": 200, "queries": 13, "bytes": 9000, "median_ms": median,
                             "min_ms": median}]}

    before = summarise([1, 50], {1: measured(44.0), 50: measured(55.0)}, {}, "SQLite")["pages"][0]
    after = summarise([1, 50], {1: measured(31.0), 50: measured(42.0)}, {}, "SQLite")["pages"][0]
    assert (before["time_ratio"], after["time_ratio"]) == (1.25, 1.35)
    assert before["growth_ms"] == after["growth_ms"] == 11.0


def test_each_round_of_the_benchmark_asks_the_sizes_in_the_other_order_than_the_round_before():
    """Neither size always follows the other: the ratio of their medians is then not that of an order."""
    from bench.run import in_turn

    rounds = [in_turn([1, 50], number) for number in range(4)]
    assert rounds == [[1, 50], [50, 1], [1, 50], [50, 1]]
    assert in_turn([1, 10, 50], 1) == [50, 10, 1]
