"""Moderation: return with comments, agree, the two-person rule, locking, concurrent edits."""

import pytest
from django.test import Client
from django.urls import reverse

from workspace import models as workspace_models

from . import staff

pytestmark = pytest.mark.django_db


def url(name, case):
    return reverse(f"workspace:{name}", args=[case.round.year, case.council.slug])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def case():
    return staff.open_round()


def submitted(case, four=("most", "promising", "most", "promising")):
    inspector = signed_in(case.inspector)
    inspector.post(url("assessment", case), staff.judgements_post(1, four))
    assert inspector.post(url("submit", case)).status_code == 302
    return inspector


def test_a_lead_returns_with_comments_the_inspector_sees_them_then_a_lead_agrees(case):
    inspector = submitted(case)
    lead = signed_in(staff.lead())

    missing = lead.post(url("return", case), {"comments": ""})
    assert missing.status_code == 400
    assert b"Enter comments for the inspector" in missing.content

    assert (
        lead.post(url("return", case), {"comments": "Evidence for adults is thin."}).status_code
        == 302
    )
    page = inspector.get(url("assessment", case))
    assert "Evidence for adults is thin." in page.content.decode()
    assessment = workspace_models.Assessment.objects.get(council=case.council)
    assert assessment.state == workspace_models.AssessmentState.RETURNED

    inspector.post(url("assessment", case), staff.judgements_post(assessment.version))
    inspector.post(url("submit", case))
    assert lead.post(url("agree", case)).status_code == 302
    assessment.refresh_from_db()
    assert assessment.state == workspace_models.AssessmentState.AGREED
    assert assessment.moderated_by.username == "lead"


def test_agreed_assessments_are_locked_unless_returned(case):
    inspector = submitted(case)
    lead = signed_in(staff.lead())
    lead.post(url("agree", case))
    version = workspace_models.Assessment.objects.get(council=case.council).version

    refused = inspector.post(url("assessment", case), staff.judgements_post(version))
    assert refused.status_code == 403
    assert b"agreed, so it is locked" in refused.content

    lead.post(url("return", case), {"comments": "One more look, please."})
    version = workspace_models.Assessment.objects.get(council=case.council).version
    assert (
        inspector.post(url("assessment", case), staff.judgements_post(version)).status_code == 302
    )


def test_a_lead_inspector_may_not_agree_judgements_they_entered(case):
    both = staff.StaffFactory(username="lead-and-inspector", role="Lead inspector")
    both.groups.add(*staff.inspector("tmp").groups.all())
    workspace_models.Assignment.objects.filter(council=case.council).update(inspector=both)
    own = signed_in(both)
    own.post(url("assessment", case), staff.judgements_post(1))
    own.post(url("submit", case))

    refused = own.post(url("agree", case))
    assert refused.status_code == 403
    assert b"two-person rule" in refused.content
    page = own.get(url("assessment", case)).content.decode()
    assert "another lead inspector must agree it" in page
    assert workspace_models.Assessment.objects.get(council=case.council).state == "submitted"

    assert signed_in(staff.lead("second-lead")).post(url("agree", case)).status_code == 302
    assert workspace_models.Assessment.objects.get(council=case.council).state == "agreed"


def test_inspectors_cannot_moderate_and_leads_cannot_enter_judgements(case):
    submitted(case)
    assert signed_in(case.inspector).post(url("agree", case)).status_code == 403
    lead = signed_in(staff.lead())
    assert lead.post(url("assessment", case), staff.judgements_post(3)).status_code == 403


def test_a_second_save_from_an_out_of_date_form_is_refused_and_shows_the_other_changes(case):
    colleague = staff.inspector("colleague")
    workspace_models.Assignment.objects.filter(council=case.council).update(inspector=colleague)
    # Both load the form at version 1 (the assignment changes hands in between).
    first = signed_in(colleague)
    first.post(
        url("assessment", case),
        staff.judgements_post(
            1,
            ("yes", "excellent", "most", "promising"),
            **{"summary_children-and-families": "First person's evidence."},
        ),
    )
    workspace_models.Assignment.objects.filter(council=case.council).update(
        inspector=case.inspector
    )
    second = signed_in(case.inspector)

    response = second.post(
        url("assessment", case), staff.judgements_post(1, ("some", "poor", "some", "poor"))
    )

    assert response.status_code == 409
    text = response.content.decode()
    assert "Your changes were not saved" in text
    assert "colleague saved" in text
    assert "First person&#x27;s evidence." in text  # the other person's changes, shown
    assert 'value="some" checked' in text  # and yours, still in the form
    saved = workspace_models.Assessment.objects.get(council=case.council)
    assert (saved.adults_serving, saved.version) == ("yes", 2)
    assert 'name="version" value="2"' in text

    # Having seen theirs, saving again from the refreshed form goes through.
    again = second.post(
        url("assessment", case), staff.judgements_post(2, ("some", "poor", "some", "poor"))
    )
    assert again.status_code == 302
    assert workspace_models.Assessment.objects.get(council=case.council).adults_serving == "some"
