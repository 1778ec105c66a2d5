"""The bundled reference data and its loader (``ratings.reference_data``)."""

from collections import Counter
from decimal import Decimal

import pytest

from ratings import reference_data, rules
from ratings.councils import CouncilMatcher
from ratings.models import (
    Council,
    Domain,
    Group,
    Indicator,
    KeyIndicatorCap,
    Polarity,
    PublishedFact,
    Region,
    Standard,
)

pytestmark = pytest.mark.django_db

KEY_INDICATORS_2002 = {
    # code: (service, threshold, fails above the threshold?)
    "A1": ("children", 20, True),
    "A3": ("children", 24, True),
    "KI-CH-HOMES": ("children", 100, False),
    "C20": ("children", None, False),
    "C21": ("children", None, True),
    "KI-AD-HOMES": ("adults", None, False),
    "D38": ("adults", 80, False),
}
ADDED_IN_2003 = {"KI-CH-CLIMBIE": "children", "D43": "adults", "KI-MR-RES": "adults"}
DROPPED_IN_2003 = {"A3", "C21"}
DIRECT_PAYMENTS = "KI-AD-DIRPAY"
MODELS = (Region, Council, Domain, Standard, Indicator, KeyIndicatorCap, Group, PublishedFact)


@pytest.fixture(scope="module")
def loaded(module_db):
    """Loaded once for the module (each test's changes are rolled back after it); the
    loader's own behaviour from an empty database is tests/test_reference_data_loader.py."""
    return reference_data.load_reference_data()


def caps(version):
    return {
        cap.indicator.code: cap
        for cap in KeyIndicatorCap.objects.filter(methodology_version=version).select_related(
            "indicator"
        )
    }


def snapshot():
    return {model.__name__: sorted(map(repr, model.objects.values())) for model in MODELS}


# --- councils ------------------------------------------------------------------------------


def test_150_councils_load_with_their_types(loaded):
    assert Council.objects.count() == 150
    assert loaded["councils"].created == 150
    types = Counter(Council.objects.values_list("council_type", flat=True))
    assert types == {
        "county": 34,
        "metropolitan": 36,
        "london_borough": 32,
        "unitary": 46,
        "sui_generis": 2,
    }
    assert set(
        Council.objects.filter(council_type="sui_generis").values_list("name", flat=True)
    ) == {"City of London", "Isles of Scilly"}


def test_every_council_has_one_of_nine_regions(loaded):
    assert Region.objects.count() == 9
    assert not Council.objects.filter(region__isnull=True).exists()
    assert Council.objects.get(name="Isles of Scilly").region.name == "South West"
    assert Region.objects.get(name="Yorkshire and the Humber").slug == "yorkshire-and-the-humber"
    assert Region.objects.get(name="London").councils.count() == 33


def test_alternative_names_are_a_list(loaded):
    hull = Council.objects.get(slug="kingston-upon-hull")
    assert hull.alternative_names == ["Hull", "City of Kingston upon Hull"]
    assert Council.objects.get(slug="barnet").alternative_names == []
    assert CouncilMatcher().find("Hull") == hull


# --- the framework -------------------------------------------------------------------------


def test_three_domains_in_order(loaded):
    assert list(Domain.objects.values_list("slug", flat=True)) == [
        "children-and-families",
        "adults-and-older-people",
        "management-and-resources",
    ]
    assert all(domain.description for domain in Domain.objects.all())


def test_standards_follow_the_published_headings_and_say_they_are_the_portals_framing(loaded):
    for domain in Domain.objects.all():
        assert domain.standards.count() == 5
    headings = [
        "Meeting national priorities",
        "Cost and efficiency",
        "Effectiveness of service delivery and outcomes",
        "Quality of services for users and carers",
        "Fair access",
    ]
    for slug in ("children-and-families", "adults-and-older-people"):
        titles = Standard.objects.filter(domain__slug=slug).values_list("title", flat=True)
        assert list(titles) == headings
    for standard in Standard.objects.all():
        assert "has not been found" in standard.description, standard.code
        assert "portal's framing" in standard.description, standard.code


# --- indicators and caps -------------------------------------------------------------------


def test_every_named_key_indicator_exists_with_a_2002_cap(loaded):
    caps_2002 = caps("2002")
    assert set(caps_2002) == set(KEY_INDICATORS_2002)
    for code, (service, threshold, fails_above) in KEY_INDICATORS_2002.items():
        cap = caps_2002[code]
        assert cap.service == service, code
        assert (cap.indicator.polarity == Polarity.LOWER_IS_BETTER) == fails_above, code
        if threshold is not None:
            assert cap.threshold == threshold, code


def test_the_2003_caps_drop_two_raise_c20_and_add_three(loaded):
    caps_2002, caps_2003 = caps("2002"), caps("2003")
    assert set(caps_2002) >= DROPPED_IN_2003
    assert not DROPPED_IN_2003 & set(caps_2003)
    assert caps_2003["C20"].threshold > caps_2002["C20"].threshold
    for code, service in ADDED_IN_2003.items():
        assert code not in caps_2002
        assert caps_2003[code].service == service
    assert set(caps_2003) == (set(caps_2002) - DROPPED_IN_2003) | set(ADDED_IN_2003)
    assert Indicator.objects.get(code="KI-MR-RES").domain.slug == "management-and-resources"
    assert Indicator.objects.get(code="KI-CH-CLIMBIE").domain.slug == "children-and-families"


def test_2004_and_2005_add_direct_payments_and_say_it_is_inferred(loaded):
    for version in ("2004", "2005"):
        later = caps(version)
        assert set(later) == set(caps("2003")) | {DIRECT_PAYMENTS}
        assert "Inferred" in later[DIRECT_PAYMENTS].note
        assert all("assumed" in cap.note for cap in later.values())


def test_every_cap_is_for_a_known_methodology_with_the_default_maximum(loaded):
    assert KeyIndicatorCap.objects.count() == 7 + 8 + 9 + 9
    for cap in KeyIndicatorCap.objects.select_related("indicator"):
        assert cap.methodology_version in rules.methodology_versions()
        assert cap.maximum == rules.DEFAULT_CAP_MAXIMUM[cap.service]
        assert cap.note, cap
        domain = cap.indicator.domain.slug
        if domain != "management-and-resources":
            assert cap.service == {"children-and-families": "children"}.get(domain, "adults")


def test_every_indicator_has_four_ascending_band_thresholds(loaded):
    assert Indicator.objects.count() >= 20
    for indicator in Indicator.objects.all():
        thresholds = indicator.band_thresholds
        assert len(thresholds) == 4, indicator.code
        assert all(isinstance(t, int | float) for t in thresholds), indicator.code
        assert thresholds == sorted(thresholds), indicator.code
        assert indicator.source and indicator.title and indicator.unit, indicator.code
        indicator.full_clean()


def test_the_direction_of_a_cap_follows_the_indicators_polarity(loaded):
    def failing(code, version, value):
        cap = caps(version)[code]
        return rules.key_indicator_cap(
            indicator_code=code,
            service=cap.service,
            maximum=cap.maximum,
            threshold=float(cap.threshold),
            higher_is_better=cap.indicator.polarity != Polarity.LOWER_IS_BETTER,
            value=value,
        )

    assert failing("A1", "2002", 20.5).maximum == "some"
    assert failing("A1", "2002", 20) is None
    assert failing("D38", "2002", 79).maximum == "most"
    assert failing("D38", "2002", 80) is None
    assert failing("KI-CH-HOMES", "2002", 99.9) is not None
    assert failing("KI-CH-CLIMBIE", "2003", 0) is not None
    assert failing("KI-CH-CLIMBIE", "2003", 1) is None


def test_groups_include_the_childrens_trust_pathfinders(loaded):
    group = Group.objects.get(slug="childrens-trust-pathfinders")
    assert group.name == "Children's Trust pathfinders"
    assert group.description


# --- published facts -----------------------------------------------------------------------


def test_159_published_facts_each_with_a_council_and_a_source(loaded):
    known = PublishedFact.objects.filter(source_file="known-ratings.csv")
    assert known.count() == 159
    # and the 2002-2005 facts found later: 13 rows, Hampshire's naming four years
    assert PublishedFact.objects.count() == 159 + 16
    assert not PublishedFact.objects.filter(source="").exists()
    assert Counter(known.values_list("special_measures", flat=True)) == {
        "": 122,
        "yes": 31,
        "left": 6,
    }


def test_published_facts_keep_not_rated_unknowns_and_labels(loaded):
    not_rated = PublishedFact.objects.filter(not_rated=True)
    assert not_rated.count() == 6
    assert not not_rated.exclude(stars=None).exists()
    assert set(not_rated.values_list("year", flat=True)) == {2005}
    assert PublishedFact.objects.filter(not_rated=False, stars=None).count() == 1
    assert set(PublishedFact.objects.values_list("round_label", flat=True)) == {
        "",
        "May",
        "November refresh",
    }
    hull = PublishedFact.objects.get(council__slug="kingston-upon-hull", year=2002, round_label="")
    assert (hull.stars, hull.adults_serving, hull.children_serving) == (2, "some", "most")
    assert hull.adults_prospects == hull.children_prospects == ""


# --- loading again -------------------------------------------------------------------------


def test_loading_twice_changes_nothing(loaded):
    before = snapshot()
    again = reference_data.load_reference_data()
    assert snapshot() == before
    assert again.keys() == loaded.keys()
    for what, counts in again.items():
        assert (counts.created, counts.updated) == (0, 0), what
        assert counts.unchanged == loaded[what].total, what


def test_loading_again_puts_back_an_edited_row(loaded):
    Indicator.objects.filter(code="A1").update(band_thresholds=[1, 2, 3, 4], title="Changed")
    Council.objects.filter(slug="barnet").update(council_type="unitary")
    counts = reference_data.load_reference_data()
    assert (counts["indicators"].updated, counts["councils"].updated) == (1, 1)
    assert Indicator.objects.get(code="A1").band_thresholds == [10, 13, 16, 20]
    assert Council.objects.get(slug="barnet").council_type == "london_borough"


def test_the_cap_threshold_is_stored_exactly(loaded):
    assert caps("2002")["KI-AD-HOMES"].threshold == Decimal("99")
