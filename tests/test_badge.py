"""The embeddable badge: a council's current rating (stars in symbols and words, and the
round) as an SVG with a link back, through the embargo gate like every public answer."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import time_machine

from . import release_data
from .release_data import CORRECTION_AT, NOW, ROUND_AT, SECRET_TITLE

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def schedule(module_db):
    return release_data.make()


def badge(client, slug, moment):
    with time_machine.travel(moment, tick=False):
        response = client.get(f"/councils/{slug}/badge.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = ET.fromstring(response.content)
    texts = " ".join(t for t in svg.itertext())
    return svg, " ".join(texts.split()), response


def test_the_badge_shows_the_current_rating_and_nothing_before_its_time(client, schedule, settings):
    svg, text, response = badge(client, "walsall", NOW)
    assert "★☆☆ 1 star" in text and "star rating 2005" in text
    assert SECRET_TITLE not in response.content.decode()
    assert response["Content-Security-Policy"] == "default-src 'none'"
    link = svg.find(f"{SVG}a")
    assert link.get("href") == settings.PORTAL_BASE_URL.rstrip("/") + "/councils/walsall/"
    assert svg.findtext(f"{SVG}title").startswith("Walsall: 1 star")

    # The correction, then the 2006 round, each at its time and not a second before.
    assert "1 star" in badge(client, "walsall", CORRECTION_AT - dt.timedelta(seconds=1))[1]
    assert "★★★ 3 stars" in badge(client, "walsall", CORRECTION_AT)[1]
    assert "2005" in badge(client, "walsall", ROUND_AT - dt.timedelta(seconds=1))[1]
    assert "star rating 2006" in badge(client, "walsall", ROUND_AT)[1]


def test_an_unknown_council_has_no_badge(client, schedule):
    assert client.get("/councils/nowhere/badge.svg").status_code == 404


def test_the_council_page_offers_the_snippet(client, schedule, settings):
    with time_machine.travel(NOW, tick=False):
        page = client.get("/councils/leeds/").content.decode()
    base = settings.PORTAL_BASE_URL.rstrip("/")
    assert f'&lt;img src="{base}/councils/leeds/badge.svg"' in page
    assert 'src="/councils/leeds/badge.svg"' in page
