"""The site's URLs with the ratings pages included at the root (as portal/urls.py will
include them), and a sitemap made of the ratings' sitemap classes."""

from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from ratings.sitemaps import sitemaps as ratings_sitemaps

urlpatterns = [
    path("", include("ratings.urls")),
    path("", include("portal.urls")),
    path("ratings-sitemap.xml", sitemap, {"sitemaps": ratings_sitemaps}, name="ratings-sitemap"),
]
