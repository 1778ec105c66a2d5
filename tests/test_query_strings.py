"""No query string makes a public page fail: every public URL pattern (the resolver walked
as the embargo sweep does, staff areas left out) is asked for with at least 200 query
strings that hypothesis makes up from the parameters the pages read and from hostile
values (huge and negative numbers, NaN, NUL, unicode, empty values, repeated keys, broken
percent-encoding), and no answer may be a server error.

The data is tiny and made once for the module; a pattern is one test, so that pytest-xdist
spreads them. The report PDFs are drawn as text (as in the embargo sweep): what the query
string changes is decided before the rendering.
"""

import dataclasses
import json
import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from reports import prebuilt, rendering

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    CPAResultFactory,
    DomainFactory,
    GroupMembershipFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KeyIndicatorCapFactory,
    RatingFactory,
    RegionFactory,
)
from .transactions import settle

pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

STAFF_AREAS = ("admin/", "accounts/", "workspace/")
PATH_VALUES = {"year": "2004", "slug": "walsall", "token": "not-a-token"}


def public_patterns() -> list[tuple[str, str]]:
    """Every URL pattern outside the staff areas, as (route, a path it matches), with its
    parameters filled in from the dataset below. A regular expression pattern (the API's
    catch-all) gets an address only it answers."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if not route.startswith(STAFF_AREAS):
                    walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and not route.startswith(STAFF_AREAS):
                if isinstance(entry.pattern, RegexPattern):
                    path = prefix + "nowhere/"
                else:
                    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: PATH_VALUES[m[1]], route)
                found.append((route, "/" + path))

    walk(get_resolver().url_patterns, "")
    return found


PATTERNS = public_patterns()

# The parameters the pages and the API read, and a few they might be sent.
KEYS = [
    "page",
    "per_page",
    "page_size",
    "sort",
    "o",
    "ordering",
    "stars",
    "region",
    "type",
    "group",
    "change",
    "special_measures",
    "status",
    "_export",
    "format",
    "q",
    "councils",
    "council",
    "indicator",
    "domain",
    "year",
    "lang",
    "version",
    "script",
    "next",
    "as_at",
]
REAL_VALUES = [
    "1",
    "2",
    "3",
    "2004",
    "2003",
    "walsall",
    "dudley",
    "west-midlands",
    "county",
    "metropolitan",
    "childrens-trust-pathfinders",
    "children-and-families",
    "A1",
    "up",
    "down",
    "same",
    "yes",
    "no",
    "true",
    "false",
    "rated",
    "not_rated",
    "csv",
    "xlsx",
    "json",
    "yaml",
    "api",
    "openapi",
    "last",
    "council",
    "-stars",
    "stars,-council",
    "-children_serving",
    "Walsall, Dudley",
    "walsall,dudley,devon,walsall,x,y",
    "2004-11-18",
    "2002-06-01",
    "0001-01-01",
    "9999-12-31",
    "2004-02-30",
]
HOSTILE_VALUES = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "00000000000000000000000001",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 25,
    "-" + "9" * 25,
    "9" * 5000,
    "1.5",
    "1e400",
    "-1e400",
    "1e-400",
    "nan",
    "-inf",
    "Infinity",
    "0x10",
    "1_000",
    "\u0663",  # an Arabic-Indic 3
    "\uff11",  # a full-width 1
    "%",
    "&",
    "=",
    "'",
    '"',
    "\\",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "../../etc/passwd",
    '=HYPERLINK("https://evil.example","x")',
    "\u202e",
    "\U0001f642",
    "\ufb01",
    "\u0130",
    "x" * 3000,
    ",,,,",
    "-,-",
]
# Control characters end up in headers, SQL strings and file names: each alone and inside.
CONTROL = ["\x00", "\n", "\r", "\r\n", "\t", "\x0b", "\x1b", "\x7f", "\x85", "\u2028"]
HOSTILE_VALUES += CONTROL + [f"a{c}b" for c in CONTROL]
# Raw pieces of a query string that urlencode() never makes.
RAW_PIECES = ["", "&", "&&", "=", "==", "%", "%zz", "%ff%fe", "page=%ff", "a=%00", "sort=%2C", ";"]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
keys = st.one_of(st.sampled_from(KEYS), st.sampled_from(KEYS), text)
values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.sampled_from(HOSTILE_VALUES),
    st.sampled_from(REAL_VALUES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    text,
)
# Mostly different keys in one query string (a page reads one value of each, the last), so
# that each asks about several parameters at once; then a key repeated, and raw pieces.
query_strings = st.builds(
    lambda pairs, repeated, raw: "&".join(
        part for part in (urlencode(pairs + repeated), raw) if part
    ),
    st.lists(st.tuples(keys, values), max_size=10, unique_by=lambda pair: pair[0]),
    st.lists(st.tuples(st.sampled_from(KEYS), values), max_size=2),
    st.sampled_from(RAW_PIECES),
)


def _text_pdf(report, **kwargs) -> bytes:
    return ("%PDF-text\n" + json.dumps(dataclasses.asdict(report), default=str)).encode()


@pytest.fixture(scope="module")
def dataset(module_db):
    """Three councils rated in two published rounds (2003, 2004), with indicators, a key
    indicator cap, CPA results and a group; the report PDFs drawn as text."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "council_report_pdf", _text_pdf)
        patch.setattr(rendering, "national_report_pdf", _text_pdf)
        domain = DomainFactory(slug="children-and-families", name="Children and families")
        region = RegionFactory(name="West Midlands")
        walsall = CouncilFactory(name="Walsall", region=region, council_type="metropolitan")
        dudley = CouncilFactory(name="Dudley", region=region, council_type="metropolitan")
        devon = CouncilFactory(
            name="Devon", region=RegionFactory(name="South West"), council_type="county"
        )
        r2003 = AssessmentRoundFactory(year=2003)
        r2004 = AssessmentRoundFactory(year=2004, is_sample=True)
        indicator = KeyIndicatorCapFactory(
            indicator=IndicatorFactory(code="A1", domain=domain), threshold=50
        ).indicator
        for n, council in enumerate((walsall, dudley, devon)):
            RatingFactory(round=r2003, council=council, adults_serving="some")
            RatingFactory(round=r2004, council=council, children_serving=["no", "most", "yes"][n])
            IndicatorValueFactory(round=r2004, council=council, indicator=indicator, value=20 * n)
        CPAResultFactory(council=walsall, year=2004)
        GroupMembershipFactory(council=walsall, year=2004)
        # The files as of now, built (downloads are served, not queued, unless ?as_at=
        # asks for another day).
        for round in (r2003, r2004):
            prebuilt.build_round(round, at=timezone.now())
        settle()
        yield


def test_every_public_pattern_is_covered():
    routes = [route for route, _ in PATTERNS]
    assert len(routes) > 25
    assert "ratings/<int:year>/" in routes
    assert "api/rounds/<int:year>/ratings/" in routes
    assert not [route for route in routes if route.startswith(STAFF_AREAS)]


@pytest.mark.parametrize("path", [path for _, path in PATTERNS], ids=[r for r, _ in PATTERNS])
def test_no_query_string_is_a_server_error(dataset, path):
    client = Client()

    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(query=query_strings)
    def answers(query):
        url = f"{path}?{query}" if query else path
        note(f"GET {url}")
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end, which closes it
        # A report file not built for the day asked about (?as_at=) is a 503 that says so
        # and queues its build; any other 5xx is a server error.
        being_prepared = response.status_code == 503 and response.has_header("Retry-After")
        assert response.status_code < 500 or being_prepared, url

    answers()
