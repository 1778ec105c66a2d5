"""A council and the inspectorate, in a real browser, around a publication.

A council contact signs in inside the pre-release window and sees their own council's
rating, embargoed, and no other council's; they challenge a fact; a lead inspector
answers it and the contact reads the answer. After publication the contact sends the
council's response, a publisher publishes it, and it appears, attributed and dated, on
the public council page and in the council's PDF report. axe-core checks each page.
"""

import datetime as dt
import io

import pypdf
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from ratings import models
from workspace import roles

from ..workspace import staff
from .test_workspace_journey import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

RESPONSE = "We welcome the inspectorate's findings and will publish our improvement plan."


@pytest.fixture
def people(transactional_db):
    # Transactional tests end by flushing every table: post_migrate brings the
    # permissions back, not the role groups.
    roles.ensure_roles()
    case = staff.scheduled_round(timezone.now() + dt.timedelta(days=2), councils=2)
    contact = staff.contact(case.councils[0], "contact", first_name="Chris", last_name="Lee")
    lead, publisher = staff.lead(), staff.publisher()
    for user in (contact, lead, publisher):
        user.set_password(PASSWORD)
        user.save()
    return case, contact, lead, publisher


def sign_in(page, user, lands_on):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{lands_on}")


def test_a_council_checks_challenges_and_replies(people, browser, live_server, axe_violations):
    case, contact_user, lead_user, publisher_user = people
    council, other = case.councils
    year = case.round.year

    def new_page():
        page = browser.new_context(base_url=live_server.url).new_page()
        page.set_default_timeout(10_000)
        return page

    # --- the contact, inside the window: their council only, embargoed ----------------------
    contact = new_page()
    sign_in(contact, contact_user, "/workspace/council/")
    assert axe_violations(contact) == []
    contact.get_by_role("link", name=f"{year} star rating").click()
    contact.wait_for_url(f"**/workspace/council/{year}/")
    expect(contact.locator("main")).to_contain_text("Embargoed until")
    expect(contact.locator("main")).to_contain_text("2 stars")
    assert other.name not in contact.locator("main").inner_text()
    assert axe_violations(contact) == []

    contact.get_by_role("link", name="Challenge a fact").click()
    contact.get_by_role("button", name="Send the challenge").click()  # nothing filled in
    expect(contact.locator(".govuk-error-summary")).to_contain_text("Select what you think")
    assert axe_violations(contact) == []
    contact.get_by_label("An indicator value").check()
    contact.get_by_label("Which judgement, value or statement").fill("BV 54")
    contact.get_by_label("Why it is wrong, and your evidence").fill("The value is 2004's.")
    contact.get_by_role("button", name="Send the challenge").click()
    expect(contact.get_by_text("Your challenge is with the lead inspector")).to_be_visible()

    # --- the lead inspector answers it ------------------------------------------------------
    lead = new_page()
    sign_in(lead, lead_user, "/workspace/")
    lead.get_by_role("link", name="Councils' challenges and representations").click()
    lead.get_by_role("link", name="An indicator value: BV 54").click()
    assert axe_violations(lead) == []
    lead.get_by_label("Not upheld").check()
    lead.get_by_label("Reasons").fill("The return for 2005 gives the same value.")
    lead.get_by_role("button", name="Answer the challenge").click()
    expect(lead.get_by_text(f"The challenge by {council.name} is answered.")).to_be_visible()

    contact.goto(f"/workspace/council/{year}/")
    expect(contact.locator("main")).to_contain_text("The return for 2005 gives the same value.")

    # --- publication (the time moved back rather than the clock on: see the staff journey) --
    models.AssessmentRound.objects.filter(pk=case.round.pk).update(
        publication_at=timezone.now() - dt.timedelta(seconds=1)
    )
    cache.clear()
    contact.goto(f"/workspace/council/{year}/")
    expect(contact.locator("main")).not_to_contain_text("Embargoed until")
    contact.get_by_role("link", name="Publish your council's response beside the rating").click()
    contact.get_by_label("Your council's response").fill(RESPONSE)
    contact.get_by_role("button", name="Send for publication").click()
    expect(contact.get_by_text("Your response is with a publisher")).to_be_visible()

    publisher = new_page()
    sign_in(publisher, publisher_user, "/workspace/")
    publisher.get_by_role("link", name="Councils' responses to moderate").click()
    publisher.get_by_role("link", name=council.name).click()
    assert axe_violations(publisher) == []
    publisher.get_by_label("Publish it beside the rating").check()
    publisher.get_by_role("button", name="Record the decision").click()
    expect(publisher.get_by_text(f"{council.name}'s response is published.")).to_be_visible()

    # --- the public page and the PDF -----------------------------------------------------------
    public = new_page()
    public.goto(f"/councils/{council.slug}/{year}/")
    response = public.locator(".council-response")
    expect(response).to_contain_text(RESPONSE)
    expect(response).to_contain_text(f"Response from {council.name}, published")
    assert axe_violations(public) == []

    client = Client()
    pdf_url = f"/councils/{council.slug}/{year}/report.pdf"
    answer = client.get(pdf_url)
    if answer.status_code == 503:  # being built by the (immediate) worker: ask again
        answer = client.get(pdf_url)
    assert answer.status_code == 200
    text = " ".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(b"".join(answer.streaming_content))).pages
    )
    assert "The council's response" in " ".join(text.split())
    assert RESPONSE in " ".join(text.split())
