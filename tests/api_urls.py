"""A test-only URLconf: the open data API at /api/, as portal/urls.py includes it."""

from django.urls import include, path

urlpatterns = [path("api/", include("ratings.api.urls"))]
