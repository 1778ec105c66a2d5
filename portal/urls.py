from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import accounts, health, observability, views
from .sitemaps import sitemaps

urlpatterns = [
    path("", views.home, name="home"),
    path("methodology/", views.methodology, name="methodology"),
    path("about/", views.about, name="about"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("open-data/", views.open_data, name="open-data"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", observability.metrics, name="metrics"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    # Django's own, rate-limited; the rest of django.contrib.auth.urls as they are.
    path(
        "accounts/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("workspace/", include("workspace.urls")),
    path("api/", include("api.urls")),
    path("alerts/", include("alerts.urls")),
    path("feedback/", include("feedback.urls")),
    path("", include("reports.urls")),
    path("", include("ratings.urls")),
]

handler500 = "portal.views.server_error"
