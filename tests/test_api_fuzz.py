"""Schemathesis against our own OpenAPI schema, every check on: generated requests (valid and invalid parameters)
to every operation never get a server error, valid ones are accepted, invalid ones refused, and every response
matches the schema. Bounded: API_FUZZ_EXAMPLES examples per operation (default 15); `make fuzz-api` runs it
with more."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _wsgi_inside_the_test_transaction(settings):
    """No rate limit; and, as Django's test client does, keep the test's database connection open across
    requests (Django closes it at the end of each request, which would end the test's transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    settings.API_ANON_RATE = "1000000/minute"
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_and_its_schema_agree(case):
    """Every check schemathesis has (issue 12, item 17): no server error, and beyond that each answer is the one
    the schema promises: what it allows is accepted (positive_data_acceptance), what it excludes is refused
    (negative_data_rejection), with documented status codes, content types, headers and bodies."""
    # Answers are gzipped for clients that ask (GZipMiddleware); the WSGI transport asks as requests does but
    # does not decode, so this client asks for the body as it is.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
