"""Headers the site shell adds to responses."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from ratings import as_at, embargo, page_cache

# Where staff work: no public caching, and the real clock.
STAFF_AREAS = ("/admin/", "/accounts/", "/workspace/")


class PrivateForSignedInMiddleware:
    """Whatever a signed-in person is sent is ``Cache-Control: private, no-store``.

    Public pages are the same for every visitor and may be kept by shared caches, but a
    signed-in person's copy carries their name and a CSRF token (and, in the workspace,
    everything else). Done here rather than page by page so that no page can forget it.
    Without a session cookie nobody is signed in, so the session is not even read then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            # patch_cache_control drops a "public" the page set for anonymous visitors.
            patch_cache_control(response, private=True, no_store=True)
        return response


class PublicCacheControlMiddleware:
    """A "not found" for an anonymous visitor (a round or council page under embargo, on a
    page or in the API) may be kept by shared caches only until the next scheduled
    publication moment (``ratings.page_cache.public_cache_control``): no cache may hold it
    past the embargo lift that makes it found. (Cached pages and report files set their
    own, by the same rule.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code == 404
            and "Cache-Control" not in response.headers
            and not request.path.startswith(STAFF_AREAS)
            and not (
                settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
            )
        ):
            response.headers["Cache-Control"] = page_cache.public_cache_control()
        return response


class AsAtMiddleware:
    """``?as_at=YYYY-MM-DD`` on a public request: the record as it stood at the end of that
    day (``ratings.as_at``). The embargo gate's clock is held back to that moment for the
    whole request, so no view needs to know; a date that is not a date is a 400 that says
    how to write one. Staff areas are left alone: their clock is always the real one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(STAFF_AREAS):
            return self.get_response(request)
        try:
            day = as_at.requested(request.GET)
        except as_at.AsAtError as error:
            return _bad_as_at(request, str(error))
        request.as_at = day
        if day is None:
            return self.get_response(request)
        token = embargo.hold_clock(as_at.end_of_day(day))
        try:
            return self.get_response(request)
        finally:
            embargo.release_clock(token)


def _bad_as_at(request, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({as_at.PARAMETER: [message]}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


class OneReadingPerRequestMiddleware:
    """The data generation token (``ratings.embargo.generation``), on which the schedule,
    the cached pages and the figures are keyed, is read from the shared cache once per
    request rather than at each of the dozens of questions a page asks the gate."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with embargo.one_reading_per_request():
            return self.get_response(request)
