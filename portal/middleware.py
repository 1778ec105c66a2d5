"""Headers the site shell adds to responses."""

from django.conf import settings
from django.utils.cache import patch_cache_control


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
