"""Cached public pages follow the data: a publication time passing or an edit rebuilds them."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from ratings import embargo, page_cache
from ratings.models import Council

from .factories import AssessmentRoundFactory, CouncilFactory, RatingFactory

pytestmark = pytest.mark.django_db

calls = []


@page_cache.cached_public_page
def years_view(request):
    calls.append(1)
    return HttpResponse(",".join(str(r.year) for r in embargo.published_rounds()))


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    calls.clear()


def get():
    return years_view(RequestFactory().get("/years/"))


def test_second_request_is_served_from_the_cache_with_last_modified():
    AssessmentRoundFactory(year=2003)
    first, second = get(), get()
    assert first.content == second.content == b"2003"
    assert len(calls) == 1
    assert second["Last-Modified"] == "Tue, 18 Nov 2003 00:00:00 GMT"


@page_cache.cached_public_page(reads_query=False)
def path_view(request):
    calls.append(1)
    return HttpResponse("the same whatever the query")


def test_a_page_that_reads_no_query_string_is_cached_under_its_path():
    for query in ("", "?x=1", "?x=2&page=9999999999999999999", "?%ff"):
        assert path_view(RequestFactory().get(f"/path/{query}")).status_code == 200
    assert len(calls) == 1
    for query in ("?x=1", "?x=2"):
        years_view(RequestFactory().get(f"/years/{query}"))
    assert len(calls) == 3  # a page that reads its query string: one entry per query


@pytest.mark.parametrize("path", ["/", "/ratings/2003/summary/", "/councils/barnet/"])
def test_public_pages_that_read_no_query_string_are_not_rebuilt_for_a_new_one(
    client, django_assert_max_num_queries, path
):
    RatingFactory(round__year=2003, council=CouncilFactory(name="Barnet", slug="barnet"))
    assert client.get(path, {"x": "1"}).status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(path, {"x": "2", "page": "9" * 30}).status_code == 200


def test_embargoed_round_appears_when_its_time_comes_with_no_action():
    publication = dt.datetime(2030, 1, 1, 9, 30, tzinfo=dt.UTC)
    AssessmentRoundFactory(year=2003)
    AssessmentRoundFactory(year=2004, publication_at=publication)
    with time_machine.travel(publication - dt.timedelta(seconds=1), tick=False):
        assert get().content == b"2003"
    with time_machine.travel(publication, tick=False):
        assert get().content == b"2003,2004"


def test_a_correction_becoming_visible_moves_the_watermark():
    rating = RatingFactory(round__year=2003)
    before = embargo.watermark()
    when = dt.datetime(2030, 6, 1, tzinfo=dt.UTC)
    RatingFactory(round=rating.round, council=rating.council, revision=2, published_at=when)
    assert embargo.watermark() == before
    with time_machine.travel(when, tick=False):
        assert embargo.watermark() == when


def test_an_edit_to_the_data_rebuilds_cached_pages():
    AssessmentRoundFactory(year=2003)
    get()
    CouncilFactory()  # any save of a ratings model
    get()
    assert len(calls) == 2


@pytest.mark.django_db(transaction=True)
def test_a_bulk_import_rebuilds_cached_pages():
    import io

    from ratings import imports

    from .factories import IndicatorFactory

    rating = RatingFactory(round__year=2003)
    IndicatorFactory(code="C28")
    get()
    imports.import_indicator_values(
        io.StringIO(f"council,indicator,value\n{rating.council.name},C28,12\n"), year=2003
    )
    get()
    assert len(calls) == 2


def test_the_publication_schedule_is_read_once_per_data_generation(django_assert_num_queries):
    publication = dt.datetime(2030, 1, 1, 9, 30, tzinfo=dt.UTC)
    AssessmentRoundFactory(year=2003)
    AssessmentRoundFactory(year=2004, publication_at=publication)
    embargo.published_rounds()
    with django_assert_num_queries(0):
        rounds, watermark = embargo.published_rounds(), embargo.watermark()
    assert [r.year for r in rounds] == [2003]
    # The clock alone moves what is published: no query, and no stale answer.
    with time_machine.travel(publication, tick=False), django_assert_num_queries(0):
        rounds, watermark = embargo.published_rounds(), embargo.watermark()
    assert [r.year for r in rounds] == [2003, 2004]
    assert watermark == publication


def test_workspace_working_copies_do_not_invalidate_public_pages():
    from workspace.models import Assessment

    round = AssessmentRoundFactory(year=2003)
    council = CouncilFactory()
    get()
    Assessment.objects.create(round=round, council=council, adults_serving="most")
    get()
    assert len(calls) == 1


# --- Cache-Control: what shared caches may keep, and for how long -------------------------


def directives(response) -> dict[str, str]:
    found = {}
    for part in response["Cache-Control"].split(","):
        name, _, value = part.strip().partition("=")
        found[name] = value
    return found


def test_a_public_page_may_be_kept_by_shared_caches_for_a_minute(settings):
    settings.PUBLIC_MAX_AGE = 60
    AssessmentRoundFactory(year=2003)
    control = directives(get())
    assert "public" in control
    assert control["max-age"] == control["s-maxage"] == "60"


def test_never_past_the_next_publication_and_worked_out_when_served(settings):
    settings.PUBLIC_MAX_AGE = 60
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    AssessmentRoundFactory(year=2003)
    AssessmentRoundFactory(year=2004, publication_at=now + dt.timedelta(seconds=45))
    with time_machine.travel(now, tick=False):
        assert directives(get())["s-maxage"] == "45"
    # The same cached page, served 40 s later: 5 s left before the lift.
    with time_machine.travel(now + dt.timedelta(seconds=40), tick=False):
        response = get()
        assert len(calls) == 1
        assert directives(response)["s-maxage"] == directives(response)["max-age"] == "5"
    with time_machine.travel(now + dt.timedelta(seconds=45), tick=False):
        response = get()
        assert response.content == b"2003,2004"
        assert directives(response)["s-maxage"] == "60"


def test_a_not_found_of_a_round_under_embargo_is_kept_no_longer_than_its_embargo(client, settings):
    settings.PUBLIC_MAX_AGE = 60
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    AssessmentRoundFactory(year=2004, publication_at=now + dt.timedelta(seconds=20))
    with time_machine.travel(now, tick=False):
        response = client.get("/ratings/2004/")
    assert response.status_code == 404
    assert directives(response)["s-maxage"] == "20"


def test_the_moment_itself_is_not_kept_at_all(settings):
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    AssessmentRoundFactory(year=2004, publication_at=now + dt.timedelta(milliseconds=400))
    with time_machine.travel(now, tick=False):
        control = directives(get())
    assert control["max-age"] == control["s-maxage"] == "0"
    assert "must-revalidate" in control


def test_a_page_as_it_stood_is_kept_by_the_real_clock(client, settings):
    settings.PUBLIC_MAX_AGE = 60
    AssessmentRoundFactory(year=2003)
    response = client.get("/ratings/2003/summary/?as_at=2003-12-01")
    assert response.status_code == 200
    assert directives(response)["s-maxage"] == "60"


def test_with_the_page_cache_off_every_request_builds_the_page(settings):
    settings.PAGE_CACHE_ENABLED = False
    AssessmentRoundFactory(year=2003)
    first, second = get(), get()
    assert first.content == second.content == b"2003"
    assert len(calls) == 2
    assert second["Cache-Control"].startswith("public, max-age=")


def test_a_page_reads_the_data_generation_once_however_often_it_asks_the_gate(client, monkeypatch):
    RatingFactory(round__year=2003, council=CouncilFactory(name="Barnet", slug="barnet"))
    RatingFactory(round__year=2004, council=Council.objects.get(slug="barnet"))
    reads = []
    real = embargo._read_token
    monkeypatch.setattr(embargo, "_read_token", lambda: reads.append(1) or real())
    assert client.get("/ratings/2004/summary/").status_code == 200
    assert len(reads) == 1


def test_a_change_within_a_request_is_seen_at_once_within_it():
    with embargo.one_reading_per_request():
        before = embargo.generation()
        assert embargo.generation() == before
        CouncilFactory(name="Camden")  # announces data_changed
        assert embargo.generation() != before
