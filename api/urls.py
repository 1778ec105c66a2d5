"""The open data API, to be included at ``/api/``: ``path("api/", include("api.urls"))``.

URL names are in the ``api`` namespace (``api:round-ratings``); the paths are a public
contract.
"""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from ratings.page_cache import cached_public_page

from . import views

app_name = "api"

# An answer depends on its path, query string and Accept header (JSON, the browsable API's
# HTML or CSV), and on the data and publications as the site's pages do: it is cached the
# same way (ratings.page_cache), so that the minute after an embargo lift each answer is
# worked out once, or ahead of time by the worker (ratings.prerender).
cached = cached_public_page(vary=("HTTP_ACCEPT",))

urlpatterns = [
    path("", views.APIRootView.as_view(), name="root"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script from /api/docs/?script, not inline,
    # so the docs page keeps to the site's Content-Security-Policy (no 'unsafe-inline').
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("councils/", cached(views.CouncilList.as_view()), name="council-list"),
    path("councils/<slug:slug>/", cached(views.CouncilDetail.as_view()), name="council-detail"),
    path("rounds/", cached(views.RoundList.as_view()), name="round-list"),
    path("rounds/<int:year>/", cached(views.RoundDetail.as_view()), name="round-detail"),
    path(
        "rounds/<int:year>/ratings/", cached(views.RoundRatingList.as_view()), name="round-ratings"
    ),
    path("rounds/<int:year>/summary/", cached(views.RoundSummary.as_view()), name="round-summary"),
    path(
        "rounds/<int:year>/indicator-values/",
        cached(views.IndicatorValueList.as_view()),
        name="round-indicator-values",
    ),
    path("indicators/", cached(views.IndicatorList.as_view()), name="indicator-list"),
    path("record/", cached(views.RecordView.as_view()), name="record"),
    path(
        "publications/upcoming/",
        cached(views.UpcomingPublicationList.as_view()),
        name="upcoming-publications",
    ),
    # Anything else under /api/ that ends in a slash: a JSON 404, not the site's HTML page.
    # (Addresses without the slash still get CommonMiddleware's redirect to it first.)
    re_path(r"^(?:.*/)?$", views.not_found, name="not-found"),
]
