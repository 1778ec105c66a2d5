"""reports.assembly: what the reports hold, from published data only, and their
fingerprints."""

import datetime as dt

import pytest
import time_machine

from ratings import presenters, selectors
from ratings import summary as national
from ratings.models import IndicatorValue
from reports import assembly

from ..factories import AssessmentRoundFactory, CouncilFactory, RatingFactory

pytestmark = pytest.mark.django_db


def test_council_report_holds_the_council_page_figures(rated):
    report = assembly.council_report(rated["walsall"], rated["r2004"], rated["after"])
    page = presenters.council_page(rated["walsall"], 2004, rated["after"])
    assert report.council == "Walsall"
    assert report.stars == assembly.Stars(2, "★★☆", "2 stars")
    assert report.revision == 1
    assert report.published_at == rated["r2004"].publication_at
    assert [j.service for j in report.judgements] == ["Adults' services", "Children's services"]
    assert report.reasons == rated["rating"].reasons
    assert report.change == page.change == "↑ Up from 1"
    assert [d.name for d in report.domains] == [
        "Children and families",
        "Adults and older people",
        "Management and resources",
    ]
    # Each indicator under its domain, formatted as the council page formats it.
    children, adults, management = report.domains
    (placements,) = children.indicators
    assert (placements.code, placements.value, placements.band) == ("A1", "61.5", "4")
    assert placements.national == "63.8"  # (61.5 + 40 + 90) / 3
    assert placements.regional == "50.8"  # (61.5 + 40) / 2
    assert placements.by_type == "50.8"
    assert adults.indicators[0].value == "72.3"  # floatformat:"-1", as on the page
    assert management.indicators[0].value == "18"
    assert [(k.code, k.result) for k in report.key_indicators] == [("A1", "Passed")]
    assert report.chart_svg == str(page.chart)
    assert [h.label for h in report.history] == ["2003", "2004"]
    assert [(c.year, c.category) for c in report.cpa_results] == [(2004, "Fair")]
    assert report.groups[0].groups == ["Children's Trust pathfinders"]
    assert report.revision_notes == []


def test_no_evidence_is_said_not_left_blank(rated):
    report = assembly.council_report(rated["walsall"], rated["r2004"], rated["after"])
    assert {d.evidence_summary for d in report.domains} == {assembly.NO_EVIDENCE}
    assert not any(d.has_evidence for d in report.domains)


def test_published_evidence_comes_from_the_revision(rated):
    rated["rating"].evidence = {
        "children-and-families": {
            "summary": "Placements are more stable.",
            "standards_notes": "Standard 3 met.",
        }
    }
    rated["rating"].save()
    report = assembly.council_report(rated["walsall"], rated["r2004"], rated["after"])
    children, adults, _ = report.domains
    assert children.evidence_summary == "Placements are more stable."
    assert children.standards_notes == "Standard 3 met."
    assert adults.evidence_summary == assembly.NO_EVIDENCE


def test_history_stops_at_the_reports_round(rated):
    report = assembly.council_report(rated["walsall"], rated["r2003"], rated["after"])
    assert [h.year for h in report.history] == [2003]
    assert report.cpa_results == [] and report.groups == []
    assert "2004" not in report.chart_svg


def test_unpublished_round_or_unrated_council_gives_none(rated):
    embargoed = AssessmentRoundFactory(year=2005, embargoed=True)
    RatingFactory(round=embargoed, council=rated["walsall"])
    assert assembly.council_report(rated["walsall"], embargoed) is None
    assert assembly.national_report(embargoed) is None
    draft = AssessmentRoundFactory(year=2006, draft=True)
    assert assembly.council_report(rated["walsall"], draft) is None
    unrated = CouncilFactory(name="Sefton")
    assert assembly.council_report(unrated, rated["r2004"], rated["after"]) is None
    # At the publication time the round's reports appear.
    with time_machine.travel(embargoed.publication_at, tick=False):
        assert assembly.council_report(rated["walsall"], embargoed).year == 2005
        assert assembly.national_report(embargoed).year == 2005


def test_a_later_revision_waits_for_its_own_publication(rated):
    when = dt.datetime(2005, 2, 1, tzinfo=dt.UTC)
    RatingFactory(
        round=rated["r2004"],
        council=rated["walsall"],
        revision=2,
        published_at=when,
        note="Corrected: the children's judgement was entered wrongly.",
        children_serving="yes",
        children_prospects="excellent",
        adults_serving="yes",
        adults_prospects="excellent",
    )
    before = assembly.council_report(rated["walsall"], rated["r2004"], when - dt.timedelta(1))
    after = assembly.council_report(rated["walsall"], rated["r2004"], when)
    assert (before.revision, before.stars.value) == (1, 2)
    assert (after.revision, after.stars.value, after.published_at) == (2, 3, when)
    assert after.revision_notes[-1].note.startswith("Corrected")
    assert before.fingerprint() != after.fingerprint()


def test_fingerprint_is_stable_and_follows_the_data(rated):
    def fingerprint():
        return assembly.council_report(rated["walsall"], rated["r2004"], rated["after"])

    first = fingerprint().fingerprint()
    assert len(first) == 64 and int(first, 16) >= 0
    assert fingerprint().fingerprint() == first
    IndicatorValue.objects.filter(council=rated["devon"], indicator__code="E44").update(value=11)
    changed = fingerprint().fingerprint()
    assert changed != first  # an average the report shows moved
    rated["walsall"].name = "Walsall Council"
    rated["walsall"].save()
    assert fingerprint().fingerprint() not in (first, changed)


def test_fingerprint_covers_the_format_version(rated, monkeypatch):
    report = assembly.council_report(rated["walsall"], rated["r2004"], rated["after"])
    before = report.fingerprint()
    monkeypatch.setattr(assembly, "REPORT_FORMAT_VERSION", "test")
    assert report.fingerprint() != before


def test_national_report_is_the_national_summary(rated):
    round = rated["r2004"]
    report = assembly.national_report(round, rated["after"])
    summary = national.national_summary(round, rated["after"])
    assert report.headlines == summary.headlines
    assert report.councils == summary.councils == 3
    assert {line.stars.value: line.councils for line in report.stars} == summary.stars
    assert report.two_or_three_percent == summary.two_or_three_percent
    assert [line.council for line in report.league_table] == ["Devon", "Dudley", "Walsall"]
    assert report.league_table[2].change == "↑ Up from 1"
    assert report.previous_year == 2003
    assert report.filename == "2004-national-report.pdf"
    assert report.fingerprint() == assembly.national_report(round, rated["after"]).fingerprint()


def test_council_report_reads_a_fixed_number_of_queries(rated, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assembly.council_report(rated["walsall"], rated["r2004"], rated["after"])


def test_bundled_sample_data(db):
    """A report of the bundled data: every domain says that no evidence was published."""
    from ratings.bundled_data import load_portal_data
    from ratings.models import AssessmentRound, Council

    load_portal_data()
    walsall = Council.objects.get(slug="walsall")
    report = assembly.council_report(walsall, AssessmentRound.objects.get(year=2004))
    assert report.is_sample
    assert len(report.domains) == 3
    assert all(d.evidence_summary == assembly.NO_EVIDENCE for d in report.domains)
    assert report.indicator_count > 10
    assert [h.year for h in report.history][0] == 2002
    round = AssessmentRound.objects.get(year=2004)
    national_report = assembly.national_report(round)
    assert len(national_report.league_table) == selectors.round_ratings(round).count() > 100
