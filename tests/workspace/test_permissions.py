"""The permission matrix: every workspace URL × every kind of person × GET and POST.

Built from the URL configuration: a workspace URL with no row in ``MATRIX`` fails
``test_every_workspace_url_is_in_the_matrix``, so nothing staff-only goes untested.

Each URL is fetched with the data in the state its action needs (a submitted assessment
to agree, a published round to reopen ...), so that "allowed" means the view did its work
(a page, a redirect after the change, or a form error) and "refused" is about the person.

Council contacts are three people: the council's contact asking before the pre-release
window opens (the clock set five days before the round's publication), the same inside
the window (or after publication), and the contact of a council not rated in the round
(whose council's pages there are not found: a contact's pages take no council from the
address, so no contact can ask for another council's).
"""

import contextlib
import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from ratings.models import CouncilResponse, Representation
from reports.models import BuildJob
from tests import factories
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
    "contact before the window",
    "contact inside the window",
    "other council's contact",
)
BEFORE_THE_WINDOW = dt.timedelta(days=5)  # the round's window opens 4 days before

OK, LOGIN, FORBIDDEN, NOT_ALLOWED, NOT_FOUND = (
    "allowed",
    "sign-in",
    "refused",
    "method not allowed",
    "not found",
)


def row(*outcomes, contacts=(FORBIDDEN, FORBIDDEN, FORBIDDEN)):
    """Outcomes for the seven staff kinds, then the three council contacts."""
    return dict(zip(PEOPLE, (*outcomes, *contacts), strict=True))


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
COUNCIL_PAGE = row(*[LOGIN] + [FORBIDDEN] * 6, contacts=(FORBIDDEN, OK, NOT_FOUND))
COUNCIL_ONLY_GET = row(*[LOGIN] + [FORBIDDEN] * 6, contacts=(NOT_ALLOWED,) * 3)
QUEUE_VIEWERS = row(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK, OK)
# A contact who opens the workspace's front page is sent to their council's.
TO_THEIR_COUNCIL = (OK, OK, OK)

# url name: (state of the data, POST data, {method: outcome by person})
MATRIX = {
    "dashboard": (
        "draft",
        {},
        {
            "GET": row(LOGIN, FORBIDDEN, OK, OK, OK, OK, OK, contacts=TO_THEIR_COUNCIL),
            "POST": row(LOGIN, FORBIDDEN, *[NOT_ALLOWED] * 5, contacts=TO_THEIR_COUNCIL),
        },
    ),
    "council-home": (
        "scheduled",
        {},
        {"GET": row(*[LOGIN] + [FORBIDDEN] * 6, contacts=(OK, OK, OK)), "POST": COUNCIL_ONLY_GET},
    ),
    "council-round": ("scheduled", {}, {"GET": COUNCIL_PAGE, "POST": COUNCIL_ONLY_GET}),
    "council-challenge": (
        "scheduled",
        {"subject": "judgement", "about": "Adults", "evidence": "Our figures."},
        {"GET": COUNCIL_PAGE, "POST": COUNCIL_PAGE},
    ),
    "council-representation": (
        "published",
        {"grounds": "Please review the children's judgement."},
        {"GET": COUNCIL_PAGE, "POST": COUNCIL_PAGE},
    ),
    "council-response": (
        "published",
        {"text": "We welcome the rating."},
        {"GET": COUNCIL_PAGE, "POST": COUNCIL_PAGE},
    ),
    "challenges": ("challenge open", {}, {"GET": QUEUE_VIEWERS, "POST": POST_ONLY_GET}),
    "challenge": (
        "challenge open",
        {"outcome": "upheld", "answer": "The value is corrected."},
        {"GET": QUEUE_VIEWERS, "POST": LEADS},
    ),
    "challenge-evidence": ("challenge open", {}, {"GET": QUEUE_VIEWERS, "POST": POST_ONLY_GET}),
    "representation": (
        "representation open",
        {"upheld": "no", "decision": "The judgement stands."},
        {"GET": QUEUE_VIEWERS, "POST": PUBLISHERS},
    ),
    "responses": ("response waiting", {}, {"GET": PUBLISHERS, "POST": POST_ONLY_GET}),
    "response": (
        "response waiting",
        {"publish": "yes"},
        {"GET": PUBLISHERS, "POST": PUBLISHERS},
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
        "contact before the window": staff.contact(case.council, "early-contact"),
        "contact inside the window": staff.contact(case.council, "contact"),
    }
    assessment = workspace_models.Assessment.objects.create(
        round=case.round, council=case.council, state="draft", version=2, **JUDGEMENTS
    )
    assessment.entered_by.add(case.inspector)
    if state == "submitted":
        assessment.state = "submitted"
        assessment.save()
    published = ("published", "correction agreed", "representation open", "response waiting")
    if state in (*published, "scheduled", "challenge open"):
        assessment.state = "agreed"
        assessment.save()
        from workspace import services as work

        if state in published:
            work.schedule_round(case.round, None, user=None, publish_now=True)
        else:
            work.schedule_round(case.round, timezone.now() + dt.timedelta(days=2), user=None)
        case.round.refresh_from_db()
    # A council not in the round: made after scheduling, which needs every council agreed.
    people["other council's contact"] = staff.contact(factories.CouncilFactory(), "elsewhere")
    contact = people["contact inside the window"]
    if state == "challenge open":
        workspace_models.Challenge.objects.create(
            round=case.round,
            council=case.council,
            subject="indicator",
            about="BV 54",
            evidence="The value is last year's.",
            evidence_file=SimpleUploadedFile("figures.csv", b"BV 54,81\n"),
            raised_by=contact,
            raised_at=timezone.now(),
        )
    if state == "representation open":
        Representation.objects.create(
            round=case.round,
            council=case.council,
            grounds="Please review.",
            submitted_by=contact,
            submitted_at=timezone.now(),
        )
    if state == "response waiting":
        CouncilResponse.objects.create(
            round=case.round,
            council=case.council,
            text="We welcome the rating.",
            submitted_by=contact,
            submitted_at=timezone.now(),
        )
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
    if response.status_code == 404:
        return NOT_FOUND
    assert response.status_code in (200, 302, 400, 409), response.status_code
    return OK


def _fetch(name, method, person, people, round, url, data):
    early = person == "contact before the window" and round.publication_at is not None
    clock = (
        time_machine.travel(round.publication_at - BEFORE_THE_WINDOW)
        if early
        else contextlib.nullcontext()
    )
    with clock:
        client = Client()
        if person != "anonymous":
            client.force_login(people[person])
        return client.get(url) if method == "GET" else client.post(url, data)


def _url(name, round, council) -> str:
    pattern = next(p for p in workspace_urls.urlpatterns if p.name == name)
    kwargs = {}
    if "year" in pattern.pattern.converters:
        kwargs["year"] = round.year
    if "slug" in pattern.pattern.converters:
        kwargs["slug"] = council.slug
    if "job" in pattern.pattern.converters:
        kwargs["job"] = BuildJob.objects.get(round=round).pk
    if "pk" in pattern.pattern.converters:
        model = {
            "challenge": workspace_models.Challenge,
            "challenge-evidence": workspace_models.Challenge,
            "representation": Representation,
            "response": CouncilResponse,
        }[name]
        kwargs["pk"] = model.objects.get().pk
    return reverse(f"workspace:{name}", kwargs=kwargs)


@pytest.mark.parametrize(("name", "method"), [(n, m) for n in MATRIX for m in ("GET", "POST")])
def test_permission_matrix(name, method):
    """Each person in turn, on the same data: each request runs in a savepoint rolled back
    after it, so that what one allowed person changed is not there for the next."""
    state, data, outcomes = MATRIX[name]
    people, round, council = _setting(state)
    round.refresh_from_db()
    url = _url(name, round, council)
    found = {}
    for person in PEOPLE:
        with transaction.atomic():
            response = _fetch(name, method, person, people, round, url, data)
            transaction.set_rollback(True)
        found[person] = f"{_outcome(response)} ({response.status_code})"
    expected = {person: outcomes[method][person] for person in PEOPLE}
    assert {p: f.split(" (")[0] for p, f in found.items()} == expected, f"{method} {url}: {found}"


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
