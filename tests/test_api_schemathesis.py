"""Property-based tests of the open data API from its own OpenAPI schema (schemathesis).

The schema is loaded from the app in-process over WSGI, and every operation is called with
generated parameters (good and bad: unknown years and slugs, odd filter values, huge page
numbers) against a small published dataset. No call may answer a server error.

The data is made once for the module, inside its transaction (``module_db``). The WSGI
handler closes old database connections at the start and end of each request, as in
production, which would end that transaction: as Django's own test client does, the
module disconnects that for its duration.
"""

import datetime as dt

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    GroupMembershipFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KeyIndicatorCapFactory,
    RatingFactory,
    RegionFactory,
)
from .test_api_schema import PATHS
from .transactions import settle

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]


@pytest.fixture(scope="module")
def api_schema(module_db):
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _schema()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema():
    previous = AssessmentRoundFactory(year=2003)
    current = AssessmentRoundFactory(year=2004, is_sample=True)
    AssessmentRoundFactory(year=2005, embargoed=True)
    indicator = IndicatorFactory(code="A1", polarity="lower", band_thresholds=[10, 13, 16, 20])
    KeyIndicatorCapFactory(indicator=indicator)
    london = RegionFactory(name="London")
    for n, serving in enumerate(["no", "some", "most", "yes"]):
        council = CouncilFactory(region=london if n % 2 else RegionFactory(name="North East"))
        RatingFactory(round=previous, council=council)
        RatingFactory(round=current, council=council, adults_serving=serving)
        IndicatorValueFactory(round=current, council=council, indicator=indicator, value=5 * n)
        if n < 2:
            GroupMembershipFactory(council=council, year=2004)
    RatingFactory(
        round=current,
        council=council,
        revision=2,
        published_at=timezone.now() + dt.timedelta(days=1),
    )
    settle()
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


def cases(operation):
    """Good and bad requests for one operation."""
    return st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )


# schemathesis's own pytest plugin (schema.parametrize) does not run under pytest 9.2, so
# each operation gets a plain Hypothesis test over schemathesis's strategies instead.
@pytest.mark.parametrize("path", PATHS)
def test_no_operation_answers_a_server_error(api_schema, path):
    operation = api_schema[path]["GET"]

    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases(operation))
    def call(case):
        case.call_and_validate(checks=[not_a_server_error])

    call()


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_matches_the_schema(api_schema, path):
    """Valid requests get answers whose status, content type and body the schema documents."""
    operation = api_schema[path]["GET"]

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE))
    def call(case):
        case.call_and_validate(
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ]
        )

    call()


def test_every_operation_is_covered(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert sorted((o.method.upper(), o.path) for o in operations) == sorted(
        ("GET", path) for path in PATHS
    )
