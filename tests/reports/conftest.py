"""Data for the report tests: a council rated in two published rounds, with indicators in
every domain, a key indicator, CPA results and a group."""

import datetime as dt

import pytest

from ratings.models import Domain

from ..factories import (
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

DOMAINS = (
    ("children-and-families", "Children and families", 1),
    ("adults-and-older-people", "Adults and older people", 2),
    ("management-and-resources", "Management and resources", 3),
)


@pytest.fixture
def domains():
    return [DomainFactory(slug=slug, name=name, order=order) for slug, name, order in DOMAINS]


@pytest.fixture
def rated(domains):
    """Walsall (two stars in 2004, one in 2003) with two neighbours; 2003 and 2004
    published."""
    region = RegionFactory(name="West Midlands")
    walsall = CouncilFactory(name="Walsall", region=region, council_type="metropolitan")
    dudley = CouncilFactory(name="Dudley", region=region, council_type="metropolitan")
    devon = CouncilFactory(
        name="Devon", region=RegionFactory(name="South West"), council_type="county"
    )
    r2003 = AssessmentRoundFactory(year=2003)
    r2004 = AssessmentRoundFactory(year=2004)
    RatingFactory(round=r2003, council=walsall, adults_serving="some", children_serving="some")
    rating = RatingFactory(round=r2004, council=walsall, children_serving="some")
    RatingFactory(round=r2004, council=dudley)
    RatingFactory(
        round=r2004,
        council=devon,
        adults_serving="yes",
        adults_prospects="excellent",
        children_serving="yes",
        children_prospects="excellent",
    )
    children, adults, management = Domain.objects.order_by("order")
    placements = KeyIndicatorCapFactory(
        indicator=IndicatorFactory(code="A1", title="Stability of placements", domain=children),
        threshold=50,
    ).indicator
    home_care = IndicatorFactory(code="C28", title="Intensive home care", domain=adults)
    staff = IndicatorFactory(code="E44", title="Staff turnover", domain=management)
    for council, values in (
        (walsall, (61.5, 72.25, 18)),
        (dudley, (40, 50, 20)),
        (devon, (90, 30, 10)),
    ):
        for indicator, value in zip((placements, home_care, staff), values, strict=True):
            IndicatorValueFactory(round=r2004, council=council, indicator=indicator, value=value)
    CPAResultFactory(council=walsall, year=2004, category="fair", education_score=3)
    GroupMembershipFactory(council=walsall, year=2004)
    return {
        "walsall": walsall,
        "dudley": dudley,
        "devon": devon,
        "r2003": r2003,
        "r2004": r2004,
        "rating": rating,
        "after": dt.datetime(2005, 6, 1, tzinfo=dt.UTC),
    }
