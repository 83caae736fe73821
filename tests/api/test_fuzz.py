"""The API fuzzed from its own OpenAPI document (schemathesis): whatever the input, no
server error. The database holds a small plan with commitments, milestones, an event and
answered contributions (the ``sample_plan`` fixture), so the lists have rows to page through."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

with override_settings(TRAZA_PAGE_CACHE_SECONDS=0):  # loaded before any test: no database
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def plan_loaded(sample_plan):
    """The WSGI app closes the database connection after each request; Django's test client
    stops that, and so must the fuzzer, or PostgreSQL loses the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield sample_plan
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_input_makes_the_api_fail(case, plan_loaded):
    response = case.call()
    assert response.status_code < 500, (case.path, case.query, response.text[:300])
    case.validate_response(response, checks=[not_a_server_error])
