"""The permission matrix: every workspace URL × every kind of person × GET and POST.

Built from the URL configuration: a workspace URL with no row in ``MATRIX`` fails
``test_every_workspace_url_is_in_the_matrix``, so nothing staff-only goes untested.

Each URL is fetched with the data in the state its action needs (a submitted assessment
to agree, a published round to reopen ...), so that "allowed" means the view did its work
(a page, a redirect after the change, or a form error) and "refused" is about the person.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from reports.models import BuildJob
from workspace import models as workspace_models
from workspace import urls as workspace_urls

from . import staff

pytestmark = pytest.mark.django_db

PEOPLE = (
    "anonymous",
    "public user",
    "inspector not assigned",
    "assigned inspector",
    "lead inspector",
    "publisher",
    "admin",
)

OK, LOGIN, FORBIDDEN, NOT_ALLOWED = "allowed", "sign-in", "refused", "method not allowed"


def row(*outcomes):
    return dict(zip(PEOPLE, outcomes, strict=True))


EVERY_ROLE = row(LOGIN, FORBIDDEN, OK, OK, OK, OK, OK)
VIEWERS = row(LOGIN, FORBIDDEN, FORBIDDEN, OK, OK, OK, OK)
POST_ONLY_GET = row(LOGIN, FORBIDDEN, *[NOT_ALLOWED] * 5)
LEADS = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK)
PUBLISHERS = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)
ASSIGNED_INSPECTOR = row(LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)

JUDGEMENTS = {
    "adults_serving": "most",
    "adults_prospects": "promising",
    "children_serving": "most",
    "children_prospects": "promising",
}

# url name: (state of the data, POST data, {method: outcome by person})
MATRIX = {
    "dashboard": (
        "draft",
        {},
        {"GET": EVERY_ROLE, "POST": POST_ONLY_GET | {"public user": FORBIDDEN}},
    ),
    "round": ("draft", {}, {"GET": EVERY_ROLE, "POST": POST_ONLY_GET}),
    "moderation": ("submitted", {}, {"GET": LEADS, "POST": POST_ONLY_GET}),
    "indicator-upload": (
        "draft",
        {"content": "council,indicator,value\n"},
        {"GET": LEADS, "POST": LEADS},
    ),
    "publication": (
        "draft",
        {"action": "status", "status": "closed"},
        {"GET": PUBLISHERS, "POST": PUBLISHERS},
    ),
    "assessment": (
        "draft",
        {"version": 2, "action": "save", **JUDGEMENTS},
        {"GET": VIEWERS, "POST": ASSIGNED_INSPECTOR},
    ),
    "what-if": ("draft", JUDGEMENTS, {"GET": POST_ONLY_GET, "POST": VIEWERS}),
    "submit": ("draft", {}, {"GET": POST_ONLY_GET, "POST": ASSIGNED_INSPECTOR}),
    "return": (
        "submitted",
        {"comments": "More evidence, please."},
        {"GET": POST_ONLY_GET, "POST": LEADS},
    ),
    "agree": ("submitted", {}, {"GET": POST_ONLY_GET, "POST": LEADS}),
    "indicators": ("draft", {}, {"GET": VIEWERS, "POST": ASSIGNED_INSPECTOR}),
    "history": ("draft", {}, {"GET": VIEWERS, "POST": POST_ONLY_GET}),
    "reopen": ("published", {}, {"GET": PUBLISHERS, "POST": PUBLISHERS}),
    "publish-correction": (
        "correction agreed",
        {"note": "Revised: corrected."},
        {"GET": PUBLISHERS, "POST": PUBLISHERS},
    ),
    "rebuild-report": ("build failed", {}, {"GET": POST_ONLY_GET, "POST": PUBLISHERS}),
}


def test_every_workspace_url_is_in_the_matrix():
    names = {p.name for p in workspace_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(MATRIX), "add a row to MATRIX for each new workspace URL"


def _setting(state):
    """People and data for one cell; returns (people by kind, round, council)."""
    case = staff.open_round(councils=1)
    people = {
        "anonymous": AnonymousUser(),
        "public user": staff.StaffFactory(username="public"),
        "inspector not assigned": staff.inspector("other-inspector"),
        "assigned inspector": case.inspector,
        "lead inspector": staff.lead(),
        "publisher": staff.publisher(),
        "admin": staff.StaffFactory(username="admin", is_staff=True, is_superuser=True),
    }
    assessment = workspace_models.Assessment.objects.create(
        round=case.round, council=case.council, state="draft", version=2, **JUDGEMENTS
    )
    assessment.entered_by.add(case.inspector)
    if state == "submitted":
        assessment.state = "submitted"
        assessment.save()
    if state in ("published", "correction agreed"):
        assessment.state = "agreed"
        assessment.save()
        from workspace import services as work

        work.schedule_round(case.round, None, user=None, publish_now=True)
        if state == "correction agreed":
            assessment.refresh_from_db()
            assessment.correction = True
            assessment.save()
    if state == "build failed":
        BuildJob.objects.create(
            kind="national",
            round=case.round,
            fingerprint="f" * 64,
            at=timezone.now(),
            state="failed",
            attempts=4,
            last_error="OSError: no space left on device",
        )
    return people, case.round, case.council


def _outcome(response) -> str:
    if response.status_code == 302 and response.url.startswith(reverse("login")):
        return LOGIN
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 405:
        return NOT_ALLOWED
    assert response.status_code in (200, 302, 400, 409), response.status_code
    return OK


CELLS = [
    (name, method, person)
    for name, (_, _, outcomes) in MATRIX.items()
    for method in ("GET", "POST")
    for person in PEOPLE
]


@pytest.mark.parametrize(("name", "method", "person"), CELLS)
def test_permission_matrix(name, method, person):
    state, data, outcomes = MATRIX[name]
    people, round, council = _setting(state)
    pattern = next(p for p in workspace_urls.urlpatterns if p.name == name)
    kwargs = {}
    if "year" in pattern.pattern.converters:
        kwargs["year"] = round.year
    if "slug" in pattern.pattern.converters:
        kwargs["slug"] = council.slug
    if "job" in pattern.pattern.converters:
        kwargs["job"] = BuildJob.objects.get(round=round).pk
    url = reverse(f"workspace:{name}", kwargs=kwargs)
    client = Client()
    if person != "anonymous":
        client.force_login(people[person])

    response = client.get(url) if method == "GET" else client.post(url, data)

    assert _outcome(response) == outcomes[method][person], (
        f"{method} {url} as {person}: {response.status_code}"
    )


@pytest.mark.parametrize(
    ("person", "allowed"),
    [
        ("anonymous", False),
        ("public user", False),
        ("assigned inspector", False),
        ("lead inspector", False),
        ("publisher", False),
        ("admin", True),
    ],
)
def test_the_django_admin_is_for_administrators_only(person, allowed):
    people, _, _ = _setting("draft")
    client = Client()
    if person != "anonymous":
        client.force_login(people[person])
    response = client.get(reverse("admin:index"))
    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
