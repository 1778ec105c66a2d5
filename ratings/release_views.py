"""The public pages that say what is published when: the release calendar (a page and an
iCalendar file) and the Atom feeds. Each is a public page like the others: cached under
the publication watermark (``ratings.page_cache``), so that it changes by itself when a
scheduled publication's time comes, and read at the gate's clock (``?as_at=`` holds)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import embargo, feeds, release_calendar, release_ical
from .page_cache import cached_public_page

CALENDAR_NAME = "Star ratings release calendar"
ICAL_FILENAME = "star-ratings-release-calendar.ics"


def _now(request):
    """The clock reading the page cache took for this request, else the gate's."""
    if not hasattr(request, "ratings_now"):
        request.ratings_now = embargo.now()
    return request.ratings_now


@require_safe
@cached_public_page(reads_query=False)
def calendar_page(request):
    """Every scheduled publication still to come (when, and what: never its content),
    and the latest ones that have happened."""
    now = _now(request)
    return render(
        request,
        "ratings/release_calendar.html",
        {
            "upcoming": release_calendar.upcoming(now),
            "recent": release_calendar.recent(now),
            "breadcrumbs": [
                ("Home", reverse("home")),
                ("Star ratings", reverse("rounds")),
            ],
        },
    )


@require_safe
@cached_public_page(reads_query=False)
def calendar_ics(request):
    """The publications still to come, as an iCalendar file to subscribe to."""
    now = _now(request)
    body = release_ical.calendar_file(
        release_calendar.upcoming(now),
        stamp=now,
        page_url=release_calendar.site_url(reverse("release-calendar")),
        name=CALENDAR_NAME,
    )
    response = HttpResponse(body, content_type=release_ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{ICAL_FILENAME}"'
    return response


@require_safe
@cached_public_page(reads_query=False)
def publications_feed(request):
    return feeds.PublicationsFeed(_now(request))(request)


@require_safe
@cached_public_page(reads_query=False)
def council_feed(request, slug):
    return feeds.CouncilFeed(_now(request))(request, slug=slug)
