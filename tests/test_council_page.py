"""The council page /councils/<slug>/ and /councils/<slug>/<year>/."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from ratings import presenters
from ratings.models import AssessmentRound, IndicatorValue, PublishedFact

from .factories import (
    AssessmentRoundFactory,
    CouncilFactory,
    CPAResultFactory,
    GroupFactory,
    GroupMembershipFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    KeyIndicatorCapFactory,
    RatingFactory,
    RegionFactory,
)
from .test_league_table import bulk_round

pytestmark = pytest.mark.django_db


NOW = timezone.now()


@pytest.fixture
def walsall():
    """Walsall: zero stars in 2002, one in 2003, three in 2004 after a correction; 2004 is
    sample data."""
    region = RegionFactory(name="West Midlands")
    council = CouncilFactory(name="Walsall", region=region, council_type="metropolitan")
    neighbour = CouncilFactory(name="Dudley", region=region, council_type="metropolitan")
    far = CouncilFactory(
        name="Devon", region=RegionFactory(name="South West"), council_type="county"
    )
    r2002 = AssessmentRoundFactory(year=2002)
    r2003 = AssessmentRoundFactory(year=2003)
    r2004 = AssessmentRoundFactory(year=2004, is_sample=True)
    RatingFactory(round=r2002, council=council, adults_serving="no", adults_prospects="poor")
    RatingFactory(round=r2003, council=council, adults_serving="some", children_serving="some")
    RatingFactory(round=r2004, council=council, children_serving="some")
    RatingFactory(
        round=r2004,
        council=council,
        revision=2,
        published_at=dt.datetime(2005, 2, 1, tzinfo=dt.UTC),
        note="Corrected: the children's judgement was entered wrongly.",
        adults_serving="yes",
        adults_prospects="excellent",
        children_serving="yes",
        children_prospects="excellent",
    )
    for other in (neighbour, far):
        RatingFactory(round=r2004, council=other)
    # Indicators: a key indicator the council fails, one it passes, one it is exempt from.
    failed = KeyIndicatorCapFactory(
        indicator=IndicatorFactory(code="A1", title="Placement stability"),
        threshold=50,
        service="children",
    ).indicator
    passed = KeyIndicatorCapFactory(
        indicator=IndicatorFactory(code="C28", title="Intensive home care"),
        threshold=10,
        service="adults",
    ).indicator
    exempt = KeyIndicatorCapFactory(
        indicator=IndicatorFactory(code="A2", title="Qualifications"), threshold=50
    ).indicator
    KeyIndicatorCapFactory(indicator=IndicatorFactory(code="B9", title="Unrecorded"))
    plain = IndicatorFactory(
        code="D40", title="Reviews of clients", band_thresholds=[20, 40, 60, 80]
    )
    IndicatorValueFactory(round=r2004, council=council, indicator=failed, value=30)
    IndicatorValueFactory(round=r2004, council=council, indicator=passed, value=12)
    IndicatorValueFactory(round=r2004, council=council, indicator=exempt, value=5, exempt=True)
    IndicatorValueFactory(round=r2004, council=council, indicator=plain, value=65)
    IndicatorValueFactory(round=r2004, council=neighbour, indicator=plain, value=45)
    IndicatorValueFactory(round=r2004, council=far, indicator=plain, value=20)
    # Values of another round do not count in the averages.
    IndicatorValueFactory(round=r2003, council=far, indicator=plain, value=99)
    CPAResultFactory(
        council=council,
        year=2004,
        category="weak",
        note="capped at weak by its social services rating",
        education_score=2,
        childrens_social_care_score=1,
    )
    GroupMembershipFactory(council=council, year=2004, is_sample=True)
    GroupMembershipFactory(
        group=GroupFactory(slug="performance-action-teams", name="Performance action teams"),
        council=council,
        year=2002,
    )
    PublishedFact.objects.create(
        council=council,
        year=2002,
        round_label="May",
        stars=0,
        special_measures="yes",
        source="Community Care 29 May 2002",
    )
    return council


def page(client, url="/councils/walsall/", status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


def test_current_rating_with_judgements_and_reasons(client, walsall):
    html = page(client)
    assert html.count("<h1") == 1
    assert '<h1 class="govuk-heading-l">Walsall</h1>' in html
    assert "Social services star ratings 2004" in html
    assert '★★★</span> <span class="stars__text">3 stars</span>' in html
    assert "All people" in html and "Excellent" in html
    assert "Why this rating" in html
    rating = walsall.ratings.get(revision=2)
    for reason in rating.reasons:
        assert reason.replace("'", "&#x27;") in html
    # Three stars brings freedoms.
    assert "Three stars brings freedoms" in html
    assert "Corrected: the children&#x27;s judgement was entered wrongly." in html
    assert "↑ Up from 1" in html
    assert "Metropolitan district, West Midlands" in html


def test_sample_rounds_say_so_and_published_facts_are_the_record(client, walsall):
    html = page(client)
    assert "sample data, not the real published ratings" in html
    assert "Published record" in html
    assert "Community Care 29 May 2002" in html
    html_2002 = page(client, "/councils/walsall/2002/")
    assert "sample data, not the real published ratings" not in html_2002


def test_zero_stars_means_special_measures(client, walsall):
    html = page(client, "/councils/walsall/2002/")
    assert "Social services star ratings 2002" in html
    assert '☆☆☆</span> <span class="stars__text">0 stars</span>' in html
    assert "govuk-warning-text" in html
    assert "Zero stars puts the council on special measures" in html
    assert "On special measures" in html
    assert "No earlier rating" in html


def test_history_with_revisions_chart_and_table(client, walsall):
    html = page(client)
    assert 'role="img"' in html
    assert '<desc id="history-desc">2002: 0 stars; 2003: 1 star; 2004: 2 stars; ' in html
    assert "2004 rev. 2: 3 stars.</desc>" in html
    assert "Every published rating of Walsall" in html
    assert "revision 2" in html
    assert "1 February 2005" in html
    # Special measures: on in 2002, off in 2003.
    assert "2002: Went on to special measures" in html
    assert "2003: Came off special measures" in html


def test_key_indicators_pass_fail_exempt(client, walsall):
    html = page(client)
    assert "Key indicators, 2004" in html
    section = html[html.index("Key indicators, 2004") : html.index("Rating history")]
    assert "A1 Placement stability" in section and "Failed" in section
    assert "C28 Intensive home care" in section and "Passed" in section
    assert "A2 Qualifications" in section and "Exempt" in section
    assert "B9 Unrecorded" in section and "No value" in section
    assert "Children&#x27;s services at &#x27;serving some people well&#x27;" in section


def test_indicators_with_band_and_averages(client, walsall):
    rows, keys = presenters.indicators(AssessmentRound.objects.get(year=2004), walsall)
    (plain,) = [row for row in rows if row.code == "D40"]
    assert plain.value == Decimal("65")
    assert plain.band == 4
    assert plain.national == pytest.approx(Decimal("43.333"), abs=Decimal("0.01"))
    assert plain.regional == pytest.approx(Decimal("55"))
    assert plain.by_type == pytest.approx(Decimal("55"))
    assert {k.code: k.result for k in keys} == {
        "A1": "Failed",
        "C28": "Passed",
        "A2": "Exempt",
        "B9": "No value",
    }
    html = page(client)
    assert "West Midlands average" in html and "Metropolitan district average" in html
    assert "43.3" in html and "55.0" in html


def test_cpa_groups_and_facts(client, walsall):
    html = page(client)
    assert "Comprehensive Performance Assessment" in html
    assert "Weak" in html and "capped at weak by its social services rating" in html
    assert "Children&#x27;s Trust pathfinders" in html
    assert "Performance action teams" in html


def test_report_links(client, walsall):
    html = page(client)
    assert 'href="/councils/walsall/2004/report/"' in html
    assert 'href="/councils/walsall/2004/report.pdf"' in html


def test_no_published_rating_yet(client, walsall):
    CouncilFactory(name="Newtown")
    html = page(client, "/councils/newtown/")
    assert "No published rating yet" in html


def test_no_rounds_published_at_all(client):
    CouncilFactory(name="Newtown")
    assert "No published rating yet" in page(client, "/councils/newtown/")


def test_a_council_not_rated_in_a_published_round(client, walsall):
    AssessmentRoundFactory(year=2005)
    html = page(client)
    assert "No published rating for Walsall in 2005" in html
    assert "2005: not rated" in html  # the chart says so


def test_unknown_council_and_unpublished_years_are_not_found(client, walsall):
    AssessmentRoundFactory(year=2005, embargoed=True)
    page(client, "/councils/nowhere/", 404)
    page(client, "/councils/nowhere/2004/", 404)
    page(client, "/councils/walsall/2005/", 404)
    page(client, "/councils/walsall/2001/", 404)
    page(client, "/councils/walsall/99999999999999999/", 404)


def test_an_embargoed_round_and_revision_never_show(client, walsall):
    future = AssessmentRoundFactory(year=2005, embargoed=True, is_sample=False)
    RatingFactory(round=future, council=walsall, adults_serving="no")
    IndicatorValueFactory(round=future, council=walsall, value=77.7)
    RatingFactory(
        round=AssessmentRound.objects.get(year=2004),
        council=walsall,
        revision=3,
        published_at=timezone.now() + dt.timedelta(days=2),
        note="Secret correction",
        adults_serving="no",
    )
    html = page(client)
    assert "Social services star ratings 2004" in html
    assert "/councils/walsall/2005/" not in html
    assert "2005: " not in html  # not in the chart
    assert "Secret correction" not in html
    assert "77.7" not in html
    assert "revision 3" not in html


def test_a_not_rated_council(client):
    council = CouncilFactory(name="Isles of Scilly")
    RatingFactory(round__year=2004, council=council, status="not_rated", stars=None, reasons=[])
    html = page(client, "/councils/isles-of-scilly/")
    assert "Not rated" in html


@pytest.mark.parametrize("count", [150, 1500])
def test_a_fixed_number_of_queries(client, django_assert_max_num_queries, count):
    councils = bulk_round(count)
    indicator = IndicatorFactory(code="PAF1")
    KeyIndicatorCapFactory(indicator=indicator, threshold=40)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(round=round, council=council, indicator=indicator, value=i % 97)
        for round in AssessmentRound.objects.all()
        for i, council in enumerate(councils)
    )
    CPAResultFactory(council=councils[3])
    GroupMembershipFactory(council=councils[3])
    for url in ("/councils/council-00003/", "/councils/council-00003/2003/"):
        with django_assert_max_num_queries(8):
            html = page(client, url)
        assert "PAF1" in html
