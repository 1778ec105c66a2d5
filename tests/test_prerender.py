"""Publication day: pages rendered ahead of a publication are out of reach before its
moment and served from the cache after it; a page or figure being built is built once,
however many ask for it at once."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone

from portal import prerender
from ratings import page_cache, signals
from ratings import summary as national

from .factories import AssessmentRoundFactory, CouncilFactory, RatingFactory

pytestmark = pytest.mark.django_db

TITLE = "Star ratings published on the lift"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()


@pytest.fixture
def scheduled():
    """2004 published; 2005 scheduled for an hour from now, with two councils rated."""
    barnet = CouncilFactory(name="Barnet", slug="barnet")
    dudley = CouncilFactory(name="Dudley", slug="dudley")
    RatingFactory(round__year=2004, council=barnet, stars=1)
    moment = (timezone.now() + dt.timedelta(hours=1)).replace(microsecond=0)
    round = AssessmentRoundFactory(year=2005, publication_at=moment, title=TITLE)
    RatingFactory(round=round, council=barnet, stars=3)
    RatingFactory(round=round, council=dudley, stars=2)
    return round, moment


def _refuse(*args, **kwargs):
    raise AssertionError("worked out in the request: the page was not rendered ahead")


def test_pages_rendered_ahead_are_unreachable_before_the_moment_and_served_after(
    client, scheduled, monkeypatch
):
    round, moment = scheduled
    with override_settings(PRERENDER_ON_PUBLICATION=True):
        signals.publication_scheduled.send(sender=None, year=2005)  # the worker's task

    pages, api = prerender.paths_for(round, moment)
    assert "/councils/dudley/2005/report/" in pages and "/api/rounds/2005/summary/" in api
    # Before the moment: nothing of 2005, although every page of it is in the cache.
    assert client.get("/ratings/2005/").status_code == 404
    assert client.get("/api/rounds/2005/summary/").status_code == 404
    assert TITLE not in client.get("/").content.decode()
    assert "/councils/barnet/2005/" not in client.get("/councils/barnet/").content.decode()

    # After it, the first visitors are served what was rendered: nothing is worked out.
    monkeypatch.setattr(national, "national_summary", _refuse)
    monkeypatch.setattr("ratings.presenters.council_page", _refuse)
    with time_machine.travel(moment + dt.timedelta(seconds=1), tick=False):
        home = client.get("/")
        assert home.status_code == 200 and TITLE in home.content.decode()
        summary = client.get("/api/rounds/2005/summary/")
        assert summary.status_code == 200 and summary.json()["stars"]["3"] == 1
        assert client.get("/ratings/2005/summary/").status_code == 200
        page = client.get("/councils/barnet/")
        assert page.status_code == 200 and "/councils/barnet/2005/" in page.content.decode()
        assert client.get("/councils/dudley/2005/report/").status_code == 200


def test_a_change_after_the_rendering_is_not_hidden_by_it(client, scheduled):
    round, moment = scheduled
    rendered = prerender.render_upcoming(round)
    assert [r.moment for r in rendered] == [moment] and rendered[0].failed == ()
    CouncilFactory(name="Camden", slug="camden")  # any change: a new data generation
    with time_machine.travel(moment + dt.timedelta(seconds=1), tick=False):
        assert "Camden" in client.get("/councils/").content.decode()


def test_nothing_is_rendered_for_a_round_already_public(scheduled):
    round, moment = scheduled
    with time_machine.travel(moment + dt.timedelta(seconds=1), tick=False):
        assert prerender.render_upcoming(round) == []


def test_a_page_rendered_ahead_is_kept_until_after_its_moment():
    now = timezone.now()
    assert page_cache.keep_for(None, now) == page_cache.TIMEOUT
    assert page_cache.keep_for(now - dt.timedelta(days=3), now) == page_cache.TIMEOUT
    ahead = page_cache.keep_for(now + dt.timedelta(days=2), now)
    assert ahead == page_cache.TIMEOUT + 2 * 24 * 3600


builds = []


@page_cache.cached_public_page
def slow_view(request):
    builds.append(1)
    time.sleep(0.3)
    return HttpResponse("built once")


def _in_threads(count, target):
    results = []

    def run():
        try:
            results.append(target())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_ten_requests_at_once_for_a_page_not_in_the_cache_build_it_once():
    builds.clear()
    responses = _in_threads(10, lambda: slow_view(RequestFactory().get("/slow/")))
    assert [r.content for r in responses] == [b"built once"] * 10
    assert len(builds) == 1


@pytest.mark.django_db(transaction=True)
def test_ten_requests_at_once_work_out_the_national_summary_once(monkeypatch):
    from ratings import materialised

    round = RatingFactory(round__year=2004).round
    computed = []
    real = national.national_summary

    def counted(*args, **kwargs):
        computed.append(1)
        time.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(national, "national_summary", counted)
    figures = _in_threads(10, lambda: materialised.national_summary(round).councils)
    assert figures == [1] * 10
    assert len(computed) == 1


def test_a_build_that_fails_leaves_no_lock_behind():
    def fails():
        raise RuntimeError("renderer failed")

    with pytest.raises(RuntimeError):
        page_cache.single_flight("test:key", fails, 60)
    value, built = page_cache.single_flight("test:key", lambda: "second try", 60)
    assert (value, built) == ("second try", True)


def test_a_cached_page_says_how_long_to_keep_it_when_served_not_when_built(client):
    """A copy built long before the next publication must not let a shared cache keep it
    past that publication when it is served close to it."""
    RatingFactory(round__year=2004, council=CouncilFactory(name="Barnet", slug="barnet"))
    now = timezone.now()
    AssessmentRoundFactory(year=2005, publication_at=now + dt.timedelta(minutes=30))
    assert client.get("/councils/barnet/")["Cache-Control"].startswith("public, max-age=60")
    hits = page_cache.LOOKUPS.labels("hit")._value.get()
    with time_machine.travel(now + dt.timedelta(minutes=29, seconds=50), tick=False):
        served = client.get("/councils/barnet/")
        assert page_cache.LOOKUPS.labels("hit")._value.get() == hits + 1  # from the cache
        max_age = int(served["Cache-Control"].split("max-age=")[1].split(",")[0])
        assert max_age <= 10
