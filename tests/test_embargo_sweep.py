"""The embargo sweep: with two rounds and a correction scheduled for later, every public
surface (pages from the sitemap and the URL patterns, downloads, the API) is fetched and
none shows them; once the clock passes each publication time, that publication appears,
with no action by anyone.

The three ways a publication is scheduled are swept together, on one dataset made once
for the module (one fetch of each surface checks all of them):

- a round entered, moderated and scheduled for next week through the workspace's pages
  (the demo round, :data:`WORKSPACE_YEAR`; its evidence is embargoed too);
- a round imported from a file for the week after (:data:`FUTURE_YEAR`);
- a correction to Walsall's 2005 rating imported for tomorrow.

The surfaces are swept in :data:`CHUNKS` parts (every surface in exactly one), so that a
leak is reported with a short list to read.
"""

import dataclasses
import datetime as dt
import io
import json
import re
from urllib.parse import urlparse

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ratings import imports, models
from ratings.models import AssessmentRound
from reports import rendering
from workspace import demo
from workspace import models as workspace_models
from workspace import services as work

from .transactions import settle

# The data is made once for the module: its parts stay on one worker.
pytestmark = [pytest.mark.django_db, pytest.mark.sweep]

CHUNKS = 4
ROUND_MARKER = "Embargoed ratings round title"
WORKSPACE_ROUND_MARKER = "Embargoed workspace round title"
NOTE_MARKER = "Embargoed correction note"
EVIDENCE_MARKER = "Embargoed evidence summary"
MARKERS = (ROUND_MARKER, WORKSPACE_ROUND_MARKER, NOTE_MARKER, EVIDENCE_MARKER)
WORKSPACE_YEAR = demo.DEMO_YEAR
FUTURE_YEAR = WORKSPACE_YEAR + 1
EMBARGOED_YEARS = (WORKSPACE_YEAR, FUTURE_YEAR)
STAFF_AREAS = ("/workspace/", "/accounts/", "/admin/")


def _text_pdf(report, **kwargs) -> bytes:
    """Stands in for WeasyPrint in the sweeps: the report's every field as text, so that a
    leak inside a PDF or the (uncompressed) ZIP is found by a plain search, and fast enough
    to build a round's ZIP of 150 reports. What is public is decided before rendering."""
    return ("%PDF-text\n" + json.dumps(dataclasses.asdict(report), default=str)).encode()


@pytest.fixture(scope="module", autouse=True)
def text_pdfs():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rendering, "council_report_pdf", _text_pdf)
        patch.setattr(rendering, "national_report_pdf", _text_pdf)
        yield


def _schedule_in_the_workspace(when) -> list:
    """The demo round, its last councils entered, agreed and the round scheduled by the
    publisher (through the workspace's pages) for ``when``. Returns the councils entered."""
    result = demo.create_demo_staff()
    round = result.round
    models.AssessmentRound.objects.filter(pk=round.pk).update(title=WORKSPACE_ROUND_MARKER)
    inspector = (
        workspace_models.Assignment.objects.filter(
            round=round, council__in=result.inspector_councils
        )
        .first()
        .inspector
    )
    lead = get_user_model().objects.get(username="lead")
    domain = models.Domain.objects.first()
    for council in result.inspector_councils:
        assessment = work.assessment_for(round, council)
        assessment = work.save_assessment(
            assessment,
            judgements={
                "adults_serving": "most",
                "adults_prospects": "promising",
                "children_serving": "most",
                "children_prospects": "promising",
            },
            evidence={domain.pk: (EVIDENCE_MARKER, "")},
            expected_version=assessment.version,
            user=inspector,
        )
        work.submit(assessment, inspector)
        work.agree(assessment, lead)
    publisher = Client()
    publisher.force_login(get_user_model().objects.get(username="publisher"))
    local = timezone.localtime(when)
    response = publisher.post(
        reverse("workspace:publication", args=[round.year]),
        {"action": "schedule", "date": local.date().isoformat(), "time": local.strftime("%H:%M")},
    )
    assert response.status_code == 302
    assert models.Rating.objects.filter(round=round).count() == models.Council.objects.count()
    return result.inspector_councils


@pytest.fixture(scope="module")
def embargoed(text_pdfs, bundled):
    """The bundled data; the demo round scheduled through the workspace for next week; a
    round imported for the week after (every council rated); a correction to Walsall's 2005
    rating imported for tomorrow."""
    now = timezone.now()
    workspace_time = (now + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    entered = _schedule_in_the_workspace(workspace_time)

    round_file = io.StringIO()
    imports.export_ratings(round_file, year=2005)
    lines = round_file.getvalue().splitlines()
    # Every not-rated council of 2005 is rated in the imported round, serving all well.
    rows = [
        line if ",not rated," not in line else line.split(",")[0] + ",yes,excellent,yes,excellent,,"
        for line in lines
    ]
    publication = now + dt.timedelta(days=14)
    imports.import_ratings(
        io.StringIO("\n".join(rows) + "\n"),
        year=FUTURE_YEAR,
        methodology="2005",
        publish_at=publication,
    )
    AssessmentRound.objects.filter(year=FUTURE_YEAR).update(title=ROUND_MARKER)
    walsall = next(line for line in lines if line.startswith("Walsall,"))
    corrected = "Walsall,yes,excellent,yes,excellent,3,no"
    assert walsall != corrected
    correction_time = now + dt.timedelta(days=1)
    imports.import_ratings(
        io.StringIO(lines[0] + "\n" + corrected + "\n"),
        year=2005,
        publish_at=correction_time,
        note=NOTE_MARKER,
    )
    settle()
    return {
        "correction": correction_time,
        "workspace": workspace_time,
        "entered": entered,
        "round": publication,
    }


def public_paths() -> list[str]:
    """Every URL pattern outside the admin, with its parameters filled in from a sample."""
    values = {
        "year": ["2004", "2005", *map(str, EMBARGOED_YEARS)],
        "slug": ["walsall", "ealing"],
    }
    paths = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                if not route.startswith("admin/"):
                    walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and not route.startswith("^"):
                expanded = ["/" + route]
                for name, options in values.items():
                    expanded = [
                        re.sub(rf"<(?:\w+:)?{name}>", option, path)
                        for path in expanded
                        for option in options
                    ]
                paths.extend(p for p in expanded if "<" not in p)

    walk(get_resolver().url_patterns, "")
    return sorted(set(paths))


def surfaces(client) -> list[str]:
    """Every public address: URL patterns, sitemap entries, downloads and API formats."""
    sitemap = client.get("/sitemap.xml").content.decode()
    from_sitemap = [urlparse(loc).path for loc in re.findall(r"<loc>(.*?)</loc>", sitemap)]
    paths = public_paths()
    extras = [
        f"/ratings/{year}/?_export={fmt}"
        for year in (2005, *EMBARGOED_YEARS)
        for fmt in ("csv", "xlsx", "json")
    ] + [
        f"{path}?format={fmt}"
        for path in paths
        if path.startswith("/api/") and "schema" not in path and "docs" not in path
        for fmt in ("json", "csv")
    ]
    return sorted(set(paths + from_sitemap + extras))


def _shows_an_embargoed_round(path: str, status: int, text: str) -> bool:
    return any(
        f"/ratings/{year}/" in text
        # Any public address of an embargoed year is not found: not a page, not a file
        # "being prepared" (which would say that an embargoed report exists). The staff
        # areas send a visitor to sign in.
        or (f"/{year}/" in path and status != 404 and not path.startswith(STAFF_AREAS))
        for year in EMBARGOED_YEARS
    )


def leaks(download, paths) -> list[str]:
    """The paths whose answer shows anything embargoed. ``download`` is the fixture of
    that name: a report file not built yet is a 503 that queues its build, which it runs,
    and then the file itself, which is a surface too."""
    found = []
    for path in paths:
        response = download(path)
        assert response.status_code < 500, path
        body = b"".join(response) if response.streaming else response.content
        text = body.decode("utf-8", "replace")
        if any(marker in text for marker in MARKERS) or _shows_an_embargoed_round(
            path, response.status_code, text
        ):
            found.append(path)
    return found


def chunk(paths: list[str], part: int) -> list[str]:
    """Part ``part`` of ``CHUNKS`` of the paths: together they are every path, once."""
    return paths[part::CHUNKS]


@pytest.mark.parametrize("part", range(CHUNKS))
def test_nothing_embargoed_on_any_public_surface_until_its_time(client, download, embargoed, part):
    paths = surfaces(client)
    assert len(paths) > 150  # the sitemap lists every council
    assert leaks(download, chunk(paths, part)) == []
    # Nor was a build queued for anything of the embargoed round.
    from reports.models import BuildJob

    assert not BuildJob.objects.filter(round__year__in=EMBARGOED_YEARS).exists()


def test_each_publication_appears_when_its_time_comes(client, embargoed):
    with time_machine.travel(embargoed["correction"] + dt.timedelta(seconds=1), tick=False):
        assert NOTE_MARKER in client.get("/councils/walsall/2005/").content.decode()
        for year in EMBARGOED_YEARS:
            assert client.get(f"/ratings/{year}/").status_code == 404

    with time_machine.travel(embargoed["workspace"] + dt.timedelta(seconds=1), tick=False):
        council = embargoed["entered"][0]
        assert client.get(f"/ratings/{WORKSPACE_YEAR}/").status_code == 200
        page = client.get(f"/councils/{council.slug}/{WORKSPACE_YEAR}/")
        assert page.status_code == 200
        assert "2 stars" in page.content.decode()
        assert client.get(f"/api/rounds/{WORKSPACE_YEAR}/ratings/").status_code == 200
        assert client.get(f"/ratings/{FUTURE_YEAR}/").status_code == 404
        assert ROUND_MARKER not in client.get("/").content.decode()

    with time_machine.travel(embargoed["round"] + dt.timedelta(seconds=1), tick=False):
        for path in [
            f"/ratings/{FUTURE_YEAR}/",
            f"/ratings/{FUTURE_YEAR}/summary/",
            f"/api/rounds/{FUTURE_YEAR}/ratings/",
            f"/councils/walsall/{FUTURE_YEAR}/",
        ]:
            assert client.get(path).status_code == 200, path
        assert ROUND_MARKER in client.get("/").content.decode()
        assert f"/ratings/{FUTURE_YEAR}/" in client.get("/sitemap.xml").content.decode()


RELEASE_SURFACES = (
    "/ratings/upcoming/",
    "/ratings/upcoming.ics",
    "/api/publications/upcoming/",
    "/feeds/publications.atom",
    "/councils/walsall/feed.atom",
)


def test_the_release_calendar_and_feeds_are_swept_and_show_a_correction_in_its_time(
    client, embargoed
):
    assert set(RELEASE_SURFACES) <= set(surfaces(client))
    # The calendar lists every scheduled publication, by year and kind only.
    calendar = client.get("/ratings/upcoming/").content.decode()
    for label in (
        "Revised 2005 star ratings",
        f"Star ratings {WORKSPACE_YEAR}",
        f"Star ratings {FUTURE_YEAR}",
    ):
        assert label in calendar
    assert [(u["year"], u["kind"]) for u in client.get("/api/publications/upcoming/").json()] == [
        (2005, "correction"),
        (WORKSPACE_YEAR, "round"),
        (FUTURE_YEAR, "round"),
    ]
    assert NOTE_MARKER not in client.get("/councils/walsall/feed.atom").content.decode()

    with time_machine.travel(embargoed["correction"] + dt.timedelta(seconds=1), tick=False):
        assert NOTE_MARKER in client.get("/councils/walsall/feed.atom").content.decode()
        assert NOTE_MARKER in client.get("/feeds/publications.atom").content.decode()
        calendar = client.get("/ratings/upcoming/").content.decode()
        coming = calendar[calendar.index('id="upcoming"') : calendar.index('id="recent"')]
        assert "Revised 2005 star ratings" not in coming
        assert not any(marker in calendar for marker in MARKERS)


def _contact(council, username):
    from workspace import roles

    user = get_user_model().objects.create_user(username)
    user.groups.add(Group.objects.get(name=roles.COUNCIL_CONTACT))
    workspace_models.CouncilContact.objects.create(user=user, council=council)
    return user


def council_pages(years) -> list[str]:
    """Every council contact's page of the workspace, for each of ``years``."""
    pages = ["/workspace/council/"]
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern) == "workspace/":
            for entry in pattern.url_patterns:
                route = str(entry.pattern)
                if route.startswith("council/<int:year>/"):
                    pages += ["/workspace/" + route.replace("<int:year>", str(y)) for y in years]
    return pages


def test_council_contacts_see_nothing_embargoed_before_their_window(embargoed):
    """The contacts of a council in both embargoed rounds: before each round's window
    opens (four days before its publication), none of their pages shows anything of it;
    inside the workspace round's window, its rating as it will be published, marked."""
    council = embargoed["entered"][0]
    client = Client()
    client.force_login(_contact(council, "council-contact"))
    pages = council_pages(EMBARGOED_YEARS)
    assert len(pages) == 1 + 4 * len(EMBARGOED_YEARS)
    for path in pages:
        response = client.get(path)
        text = response.content.decode()
        assert response.status_code in (200, 403), path
        assert not any(marker in text for marker in MARKERS), path
        assert "Embargoed until" not in text and "star rating as it" not in text, path

    inside = embargoed["workspace"] - dt.timedelta(days=1)
    with time_machine.travel(inside, tick=False):
        client.force_login(get_user_model().objects.get(username="council-contact"))
        page = client.get(f"/workspace/council/{WORKSPACE_YEAR}/").content.decode()
        assert "Embargoed until" in page and council.name in page
        assert client.get(f"/workspace/council/{FUTURE_YEAR}/").status_code == 403
        # Nothing of it is public, for the contact's look.
        assert Client().get(f"/councils/{council.slug}/{WORKSPACE_YEAR}/").status_code == 404


def test_no_alert_is_sent_before_its_publication(embargoed, mailoutbox):
    """A subscriber to every publication: the worker, run at any time before a moment,
    sends nothing about it; after each moment, one alert for that publication."""
    from alerts import sending, subscriptions

    subscriber = subscriptions.request("reader@example.org", everything=True, council_ids=[])
    subscriptions.confirm(subscriber)
    mailoutbox.clear()  # the confirmation itself is not an alert

    def subjects_at(moment):
        with time_machine.travel(moment, tick=False):
            sending.send_due_alerts()
        subjects = [m.subject for m in mailoutbox]
        mailoutbox.clear()
        return subjects

    before = embargoed["correction"] - dt.timedelta(seconds=1)
    assert subjects_at(before) == subjects_at(timezone.now()) == []
    after_correction = subjects_at(embargoed["correction"] + dt.timedelta(seconds=1))
    assert len(after_correction) == 1 and "Walsall" in after_correction[0]
    assert subjects_at(embargoed["workspace"] - dt.timedelta(seconds=1)) == []
    assert subjects_at(embargoed["workspace"] + dt.timedelta(seconds=1)) == [
        f"Star ratings {WORKSPACE_YEAR} published"
    ]
    assert subjects_at(embargoed["round"] + dt.timedelta(seconds=1)) == [
        f"Star ratings {FUTURE_YEAR} published"
    ]
    assert subjects_at(embargoed["round"] + dt.timedelta(days=1)) == []
