"""The audit trail: who changed what, when, before and after, shown per council."""

import pytest
from django.test import Client
from django.urls import reverse

from workspace import models as workspace_models

from . import staff

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_step_is_recorded_with_its_user_and_shown_as_a_timeline():
    case = staff.open_round(councils=1)
    args = [case.round.year, case.council.slug]
    inspector = signed_in(case.inspector)
    lead_user = staff.lead()
    inspector.post(
        reverse("workspace:assessment", args=args),
        staff.judgements_post(
            1,
            ("most", "promising", "some", "uncertain"),
            **{"summary_children-and-families": "Early help is patchy."},
        ),
    )
    inspector.post(
        reverse("workspace:assessment", args=args),
        staff.judgements_post(2, ("most", "promising", "most", "uncertain")),
    )
    inspector.post(reverse("workspace:submit", args=args))
    signed_in(lead_user).post(reverse("workspace:return", args=args), {"comments": "Why most?"})

    records = workspace_models.Assessment.history.order_by("history_date")
    assert [r.history_user.username for r in records] == [
        "inspector",
        "inspector",
        "inspector",
        "lead",
    ]
    assert {r.history_user for r in workspace_models.DomainEvidence.history.all()} == {
        case.inspector
    }

    page = signed_in(lead_user).get(reverse("workspace:history", args=args)).content.decode()
    assert (
        'Judgements and moderation: changed by <span data-testid="event-user">lead</span>' in page
    )
    assert "Evidence: Children and families: created by" in page
    # Before and after of the children's judgement the inspector changed.
    assert (
        'Serving some people well</td><td class="govuk-table__cell">Serving most people well'
        in page
    )
    assert "Why most?" in page
