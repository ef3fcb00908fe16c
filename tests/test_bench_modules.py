"""`make bench` and `make loadtest` run outside the suite (CI runs the load test once, after it): their modules
must at least import. A merge once left bench/loadtest.py importing a list that had moved to bench/pages.py, and
only CI's load test found it."""

import importlib

import pytest


@pytest.mark.parametrize("module", ["bench.run", "bench.loadtest", "bench.measure", "bench.weight",
                                    "bench.lighthouse", "bench.pages", "bench.server", "bench.targets"])
def test_the_benchmark_modules_import(module):
    importlib.import_module(module)
