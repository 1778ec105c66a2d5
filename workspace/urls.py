"""The workspace's URLs, all under /workspace/ and all staff-only.

tests/workspace/test_permissions.py builds its matrix from this list: a new URL here
without an entry there fails the suite.
"""

from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<int:year>/", views.round_dashboard, name="round"),
    path("<int:year>/moderation/", views.moderation, name="moderation"),
    path("<int:year>/indicator-values/upload/", views.indicator_upload, name="indicator-upload"),
    path("<int:year>/publication/", views.publication, name="publication"),
    path(
        "<int:year>/publication/builds/<int:job>/rebuild/",
        views.rebuild_report,
        name="rebuild-report",
    ),
    path("<int:year>/<slug:slug>/", views.assessment, name="assessment"),
    path("<int:year>/<slug:slug>/what-if/", views.preview, name="what-if"),
    path("<int:year>/<slug:slug>/submit/", views.submit, name="submit"),
    path("<int:year>/<slug:slug>/return/", views.return_assessment, name="return"),
    path("<int:year>/<slug:slug>/agree/", views.agree, name="agree"),
    path("<int:year>/<slug:slug>/indicator-values/", views.indicators, name="indicators"),
    path("<int:year>/<slug:slug>/history/", views.history, name="history"),
    path("<int:year>/<slug:slug>/reopen/", views.reopen, name="reopen"),
    path(
        "<int:year>/<slug:slug>/publish-correction/",
        views.publish_correction,
        name="publish-correction",
    ),
]
