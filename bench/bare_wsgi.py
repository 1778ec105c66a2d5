"""A bare Django view with no middleware, no database and no templates: the baseline for
what Django itself costs per request (bench/publication_day.py serves it with gunicorn,
configured as the stack's web processes are)."""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-bare-view",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
)


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", ok)]
application = get_wsgi_application()
