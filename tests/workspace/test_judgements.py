"""Entering judgements: saving, the what-if view, caps, submitting."""

import pytest
from django.urls import reverse

from tests import factories
from workspace import models as workspace_models

from . import staff

pytestmark = pytest.mark.django_db


def url(name, case, council=None):
    return reverse(f"workspace:{name}", args=[case.round.year, (council or case.council).slug])


@pytest.fixture
def case():
    return staff.open_round()


def test_the_assigned_inspector_saves_judgements_and_evidence(client, case):
    client.force_login(case.inspector)
    page = client.get(url("assessment", case))
    assert page.status_code == 200
    assert b"Children and families" in page.content

    response = client.post(
        url("assessment", case),
        staff.judgements_post(
            1,
            ("yes", "excellent", "most", "promising"),
            **{"summary_children-and-families": "Strong early help."},
        ),
    )

    assert response.status_code == 302
    assessment = workspace_models.Assessment.objects.get(round=case.round, council=case.council)
    assert assessment.state == workspace_models.AssessmentState.DRAFT
    assert assessment.adults_serving == "yes"
    assert assessment.version == 2
    assert list(assessment.entered_by.all()) == [case.inspector]
    evidence = workspace_models.DomainEvidence.objects.get(council=case.council)
    assert evidence.summary == "Strong early help."
    assert assessment.history.first().history_user == case.inspector


def test_the_what_if_view_shows_the_stars_and_reasons_without_saving(client, case):
    client.force_login(case.inspector)
    four = ("yes", "excellent", "yes", "excellent")

    htmx = client.post(url("what-if", case), staff.judgements_post("", four))
    plain = client.post(url("assessment", case), staff.judgements_post(1, four, action="preview"))

    for response in (htmx, plain):
        assert response.status_code == 200
        text = response.content.decode()
        assert "3 stars" in text
        assert "Overall: three stars under the 2005 methodology." in text
    assert not workspace_models.Assessment.objects.exists()


def test_a_judgement_above_a_key_indicator_cap_is_refused_naming_the_indicator(client, case):
    cap = factories.KeyIndicatorCapFactory(
        methodology_version="2005",
        service="adults",
        maximum="some",
        threshold=50,
        indicator__code="PAF C28",
    )
    factories.IndicatorValueFactory(
        round=case.round, council=case.council, indicator=cap.indicator, value=10
    )
    client.force_login(case.inspector)

    response = client.post(url("assessment", case), staff.judgements_post(1))

    assert response.status_code == 400
    text = response.content.decode()
    assert "Adults&#x27; services cannot be judged" in text
    assert "PAF C28" in text
    assert not workspace_models.Assessment.objects.exists()


def test_submitting_needs_all_four_judgements_then_locks_the_assessment(client, case):
    client.force_login(case.inspector)
    client.post(url("assessment", case), staff.judgements_post(1, ("most", "", "", "")))

    refused = client.post(url("submit", case))
    assert refused.status_code == 403
    assert b"Enter all four judgements" in refused.content

    client.post(url("assessment", case), staff.judgements_post(2))
    assert client.post(url("submit", case)).status_code == 302
    assessment = workspace_models.Assessment.objects.get(council=case.council)
    assert assessment.state == workspace_models.AssessmentState.SUBMITTED
    assert assessment.submitted_by == case.inspector

    locked = client.post(url("assessment", case), staff.judgements_post(assessment.version))
    assert locked.status_code == 403
    assert b"locked until returned" in locked.content


def test_an_inspector_cannot_open_another_inspectors_council(client, case):
    client.force_login(staff.inspector("someone-else"))
    response = client.get(url("assessment", case))
    assert response.status_code == 403
    assert b"is not one of your councils" in response.content
