"""The public ratings pages, included at the site root. These addresses are a public
contract: they do not change."""

from django.urls import path

from . import release_views, views

urlpatterns = [
    path("ratings/", views.rounds, name="rounds"),
    # The release calendar and the feeds (ratings.release_views): before ratings/<year>/.
    path("ratings/upcoming/", release_views.calendar_page, name="release-calendar"),
    path("ratings/upcoming.ics", release_views.calendar_ics, name="release-calendar-ics"),
    path("feeds/publications.atom", release_views.publications_feed, name="feed-publications"),
    path("ratings/<int:year>/", views.league_table, name="league-table"),
    path("ratings/<int:year>/summary/", views.national_summary, name="national-summary"),
    path(
        "ratings/<int:year>/pre-release-access/",
        views.pre_release_access,
        name="pre-release-access",
    ),
    path("councils/", views.council_search, name="council-search"),
    path("councils/suggest/", views.council_suggest, name="council-suggest"),
    path("councils/<slug:slug>/badge.svg", views.council_badge, name="council-badge"),
    path("councils/<slug:slug>/", views.council, name="council"),
    path("councils/<slug:slug>/feed.atom", release_views.council_feed, name="council-feed"),
    path("councils/<slug:slug>/<int:year>/", views.council, name="council-year"),
    path("compare/", views.compare, name="compare"),
    path("record/", views.record, name="record"),
]
