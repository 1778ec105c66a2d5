"""Rounds, scheduled publication, the embargo until then, and corrections after it."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ratings import models
from tests import factories
from workspace import models as workspace_models

from . import staff

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def agree_all(case, four=("most", "promising", "yes", "excellent")):
    inspector = signed_in(case.inspector)
    lead = signed_in(staff.lead())
    for council in case.councils:
        args = [case.round.year, council.slug]
        inspector.post(reverse("workspace:assessment", args=args), staff.judgements_post(1, four))
        inspector.post(reverse("workspace:submit", args=args))
        assert lead.post(reverse("workspace:agree", args=args)).status_code == 302
    return inspector, lead


def schedule(client, year, when):
    local = timezone.localtime(when)
    return client.post(
        reverse("workspace:publication", args=[year]),
        {"action": "schedule", "date": local.date().isoformat(), "time": local.strftime("%H:%M")},
    )


def publish_now(client, year):
    """ "Publish now": the page of what becomes public, then the confirmation."""
    url = reverse("workspace:publication", args=[year])
    check = client.post(url, {"action": "publish-now"})
    assert check.status_code == 200
    fingerprint = check.context["preview"].fingerprint
    return client.post(url, {"action": "publish-now-confirmed", "fingerprint": fingerprint})


@pytest.fixture
def case():
    return staff.open_round()


def test_the_publisher_opens_and_closes_the_round(case):
    publisher = signed_in(staff.publisher())
    url = reverse("workspace:publication", args=[case.round.year])
    assert publisher.post(url, {"action": "status", "status": "closed"}).status_code == 302
    case.round.refresh_from_db()
    assert case.round.status == models.RoundStatus.CLOSED
    bad = publisher.post(url, {"action": "status", "status": "scheduled"})
    assert bad.status_code == 400
    case.round.refresh_from_db()
    assert case.round.status == models.RoundStatus.CLOSED


def test_a_round_cannot_be_scheduled_until_every_council_is_agreed(case):
    publisher = signed_in(staff.publisher())
    page = publisher.get(reverse("workspace:publication", args=[case.round.year]))
    assert b"2 councils are not agreed yet" in page.content

    response = schedule(publisher, case.round.year, timezone.now() + dt.timedelta(days=1))

    assert response.status_code == 403
    case.round.refresh_from_db()
    assert case.round.status == models.RoundStatus.OPEN
    assert not models.Rating.objects.exists()


def test_a_scheduled_round_is_hidden_until_its_publication_time_then_public(case):
    agree_all(case)
    publisher = signed_in(staff.publisher())
    when = (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)

    assert schedule(publisher, case.round.year, when).status_code == 302

    case.round.refresh_from_db()
    assert (case.round.status, case.round.publication_at) == ("scheduled", when)
    ratings = models.Rating.objects.filter(round=case.round)
    assert sorted(r.stars for r in ratings) == [3, 3]
    assert ratings.first().history.first().history_user.username == "publisher"
    public = Client()
    council_url = reverse("council-year", args=[case.council.slug, case.round.year])
    assert public.get(council_url).status_code == 404
    assert public.get(reverse("league-table", args=[case.round.year])).status_code == 404
    assert b"2006" not in public.get(reverse("api:round-list")).content

    with time_machine.travel(when + dt.timedelta(minutes=1)):
        page = public.get(council_url)
        assert page.status_code == 200
        assert "3 stars" in page.content.decode()


def test_corrections_after_publication_add_a_revision_and_keep_the_old_one(case):
    inspector, lead = agree_all(case)
    publisher = signed_in(staff.publisher())
    models.AssessmentRound.objects.filter(pk=case.round.pk).update(status="closed")
    assert publish_now(publisher, case.round.year).status_code == 302
    args = [case.round.year, case.council.slug]

    assert (
        publisher.post(
            reverse("workspace:reopen", args=args), {"inspector": case.inspector.pk}
        ).status_code
        == 302
    )
    assessment = workspace_models.Assessment.objects.get(council=case.council)
    assert assessment.correction and assessment.state == "draft"
    inspector.post(
        reverse("workspace:assessment", args=args),
        staff.judgements_post(assessment.version, ("some", "uncertain", "some", "uncertain")),
    )
    inspector.post(reverse("workspace:submit", args=args))
    # Nothing public changes before the correction is published.
    public = Client()
    council_url = reverse("council-year", args=[case.council.slug, case.round.year])
    assert "3 stars" in public.get(council_url).content.decode()
    lead.post(reverse("workspace:agree", args=args))

    response = publisher.post(
        reverse("workspace:publish-correction", args=args),
        {"note": "Revised 23 November 2026: the adults' judgement was corrected."},
    )

    assert response.status_code == 302
    revisions = list(
        models.Rating.objects.filter(council=case.council, round=case.round).order_by("revision")
    )
    assert [(r.revision, r.stars) for r in revisions] == [(1, 3), (2, 1)]
    assert revisions[1].note.startswith("Revised 23 November 2026")
    page = public.get(council_url).content.decode()
    assert "1 star" in page
    assert "the adults&#x27; judgement was corrected" in page
    assessment.refresh_from_db()
    assert not assessment.correction


def test_corrections_need_a_publisher_and_a_published_round(case):
    agree_all(case)
    args = [case.round.year, case.council.slug]
    publisher = signed_in(staff.publisher())
    not_yet = publisher.post(
        reverse("workspace:reopen", args=args), {"inspector": case.inspector.pk}
    )
    assert not_yet.status_code == 403
    assert b"not published yet" in not_yet.content
    lead = signed_in(staff.lead())
    assert lead.get(reverse("workspace:reopen", args=args)).status_code == 403


def test_indicator_values_of_a_published_round_cannot_change(case):
    factories.IndicatorFactory(domain=case.domains[0])
    agree_all(case)
    publisher = signed_in(staff.publisher())
    publish_now(publisher, case.round.year)
    publisher.post(
        reverse("workspace:reopen", args=[case.round.year, case.council.slug]),
        {"inspector": case.inspector.pk},
    )
    inspector = signed_in(case.inspector)
    url = reverse("workspace:indicators", args=[case.round.year, case.council.slug])
    refused = inspector.post(url, {})
    assert refused.status_code == 403
    assert b"published round cannot change" in refused.content
