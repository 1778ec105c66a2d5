"""The workspace's URLs, all under /workspace/ and all staff-only.

tests/workspace/test_permissions.py builds its matrix from this list: a new URL here
without an entry there fails the suite.
"""

from django.urls import path

from . import views

app_name = "workspace"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Council contacts: their own council only (workspace/views/council.py).
    path("council/", views.council_home, name="council-home"),
    path("council/<int:year>/", views.council_round, name="council-round"),
    path("council/<int:year>/challenge/", views.council_challenge, name="council-challenge"),
    path(
        "council/<int:year>/representation/",
        views.council_representation,
        name="council-representation",
    ),
    path("council/<int:year>/response/", views.council_response, name="council-response"),
    path("responses/", views.responses, name="responses"),
    path("responses/<int:pk>/", views.response, name="response"),
    path("<int:year>/", views.round_dashboard, name="round"),
    path("<int:year>/moderation/", views.moderation, name="moderation"),
    path("<int:year>/indicator-values/upload/", views.indicator_upload, name="indicator-upload"),
    path("<int:year>/publication/", views.publication, name="publication"),
    path("<int:year>/challenges/", views.challenges, name="challenges"),
    path("<int:year>/challenges/<int:pk>/", views.challenge, name="challenge"),
    path(
        "<int:year>/challenges/<int:pk>/evidence/",
        views.challenge_evidence,
        name="challenge-evidence",
    ),
    path("<int:year>/representations/<int:pk>/", views.representation, name="representation"),
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
