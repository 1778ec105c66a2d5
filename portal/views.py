"""The site shell's pages: the front page, the static pages, robots.txt and the 500 page."""

from django.conf import settings
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import TemplateDoesNotExist, loader
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from ratings import embargo, selectors
from ratings.materialised import national_summary
from ratings.page_cache import cached_public_page

from . import govuk_markdown

METHODOLOGY_DOC = settings.BASE_DIR / "docs" / "methodology.md"


@require_safe
@cached_public_page(reads_query=False)
def home(request):
    """The front page: the latest round's headline figures, search, every round."""
    rounds = embargo.published_rounds(request.ratings_now)
    latest = national_summary(rounds[-1], request.ratings_now) if rounds else None
    return render(
        request,
        "portal/home.html",
        {
            "rounds": list(reversed(rounds)),
            "latest": latest,
            "star_rows": [
                (
                    stars,
                    count,
                    latest.stars_percent[stars],
                    None if latest.stars_change is None else latest.stars_change[stars],
                )
                for stars, count in latest.stars.items()
            ]
            if latest
            else [],
            "has_sample": any(round_.is_sample for round_ in rounds),
            "council_count": selectors.council_count(),
        },
    )


@require_safe
def methodology(request):
    """docs/methodology.md, rendered at request time (cached until the file changes)."""
    page = govuk_markdown.render_file(METHODOLOGY_DOC)
    return render(
        request,
        "portal/methodology.html",
        {"title": page.title, "body": mark_safe(page.html)},  # the project's own document
    )


@require_safe
def about(request):
    return render(request, "portal/about.html")


@require_safe
def accessibility(request):
    return render(
        request, "portal/accessibility.html", {"contact_email": settings.PORTAL_CONTACT_EMAIL}
    )


@require_safe
def open_data(request):
    return render(request, "portal/open_data.html")


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Allow: /", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@requires_csrf_token
def server_error(request):
    """The 500 page. It is rendered without the request, so that a failure in the request
    context (a context processor, the database) cannot break the error page too."""
    context = {
        "portal_name": settings.PORTAL_NAME,
        "inspectorate_name": settings.INSPECTORATE_NAME,
    }
    try:
        html = loader.get_template("500.html").render(context)
    except TemplateDoesNotExist:
        html = "<h1>Sorry, there is a problem with the service</h1>"
    return HttpResponseServerError(html)
