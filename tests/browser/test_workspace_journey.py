"""Staff, in a real browser, take a council's rating from judgements to publication.

An inspector signs in, chooses the four judgements and watches the rating change as they
do (htmx, no page submit), saves and submits; a lead inspector returns it with comments,
the inspector corrects and resubmits, and the lead agrees it; the publisher schedules the
round; once the publication time has passed the public council page shows the rating.

The browser enforces the site's Content-Security-Policy, so anything it blocks (htmx, an
inline script or style) fails the journey; axe-core checks each workspace page on the way.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from ratings import models
from workspace import roles

from ..workspace import staff

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_roles(transactional_db):
    """The role groups. Migration 0003_roles makes them, but transactional tests end by
    flushing every table: post_migrate brings the permissions back, not the groups."""
    roles.ensure_roles()


@pytest.fixture
def people(staff_roles):
    case = staff.open_round(councils=1)
    lead, publisher = staff.lead(), staff.publisher()
    for user in (case.inspector, lead, publisher):
        user.set_password(PASSWORD)
        user.save()
    return case, lead, publisher


@pytest.fixture
def new_page(browser, live_server):
    """A page in a fresh browser context (its own cookies: one person each), with what the
    browser reported about CSP violations and script errors on it."""
    contexts = []

    def make():
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.problems = []
        page.on(
            "console",
            lambda m: "Content Security Policy" in m.text and page.problems.append(m.text),
        )
        page.on("pageerror", lambda error: page.problems.append(f"pageerror: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, user):
    """Through the real sign-in form (django-axes counts failures, so the right password)."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/workspace/")
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Signed in as {user.username}")


def choose(page, question, answer):
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


ADULTS_SERVING = "Are adults' services serving people well?"
ADULTS_PROSPECTS = "Adults' services: capacity for improvement"
CHILDREN_SERVING = "Are children's services serving people well?"
CHILDREN_PROSPECTS = "Children's services: capacity for improvement"


def test_judgements_to_moderation_to_publication(people, new_page, page, axe_violations):
    case, lead_user, publisher_user = people
    council, year = case.council, case.round.year
    stars = "[data-testid=what-if-stars]"

    # The sign-in page, as anyone sees it before signing in.
    page.goto("/accounts/login/")
    assert axe_violations(page) == []

    # --- the inspector: judgements, the rating as they change, save, submit ---------------
    inspector = new_page()
    sign_in(inspector, case.inspector)
    assert axe_violations(inspector) == []
    inspector.get_by_role("link", name=council.name).click()
    inspector.wait_for_url(f"**/workspace/{year}/{council.slug}/")
    expect(inspector.locator(stars)).to_have_text(
        "Choose all four judgements to see the star rating."
    )
    # htmx is a static file (script-src 'self'); if the CSP blocked it, say so here.
    assert inspector.evaluate("typeof htmx") == "object", inspector.problems
    # Marks this document: if anything below reloaded the page, the mark would be gone.
    inspector.evaluate("window.notReloaded = true")
    # Screen readers announce changes inside a live region already in the page, so htmx must
    # swap the panel inside the region, not the region itself.
    live_region = inspector.locator("[aria-live=polite]:has(#what-if)").element_handle()

    choose(inspector, ADULTS_SERVING, "Serving most people well")
    choose(inspector, ADULTS_PROSPECTS, "Promising")
    choose(inspector, CHILDREN_SERVING, "Serving most people well")
    with inspector.expect_response(f"**/workspace/{year}/{council.slug}/what-if/") as what_if:
        choose(inspector, CHILDREN_PROSPECTS, "Promising")
    assert what_if.value.status == 200
    expect(inspector.locator(stars)).to_contain_text("2 stars")

    with inspector.expect_response("**/what-if/"):
        choose(inspector, CHILDREN_SERVING, "Serving all people well")
    expect(inspector.locator(stars)).to_contain_text("3 stars")
    assert inspector.evaluate("window.notReloaded") is True
    assert "3 stars" in live_region.evaluate("region => region.isConnected && region.innerText")
    # The judgements page as the inspector has it, the what-if panel swapped in by htmx.
    assert axe_violations(inspector) == []

    inspector.get_by_role("button", name="Save").click()
    expect(inspector.get_by_text(f"Saved {council.name}.")).to_be_visible()
    expect(inspector.locator(stars)).to_contain_text("3 stars")
    inspector.get_by_role("button", name="Submit for moderation").click()
    expect(inspector.get_by_text(f"{council.name} is submitted for moderation.")).to_be_visible()

    # --- the lead inspector returns it -------------------------------------------------------
    lead = new_page()
    sign_in(lead, lead_user)
    lead.get_by_role("link", name="Moderation queue").click()
    lead.wait_for_url(f"**/workspace/{year}/moderation/")
    expect(lead.locator("tbody tr")).to_have_count(1)
    assert axe_violations(lead) == []
    lead.get_by_role("link", name=council.name).click()
    lead.wait_for_url(f"**/workspace/{year}/{council.slug}/")
    # The assessment as a lead sees it: read-only judgements, agree or return.
    assert axe_violations(lead) == []
    comments = "Children's services serve most people well, not all: see the evidence."
    lead.get_by_label("What needs to change").fill(comments)
    lead.get_by_role("button", name="Return to the inspector").click()
    expect(lead.get_by_text(f"{council.name} is returned to the inspector.")).to_be_visible()

    # --- the inspector reads the comments, corrects and resubmits ---------------------------
    inspector.reload()
    expect(inspector.get_by_test_id("return-comments")).to_have_text(comments)
    with inspector.expect_response("**/what-if/"):
        choose(inspector, CHILDREN_SERVING, "Serving most people well")
    expect(inspector.locator(stars)).to_contain_text("2 stars")
    inspector.get_by_role("button", name="Save").click()
    expect(inspector.get_by_text(f"Saved {council.name}.")).to_be_visible()
    inspector.get_by_role("button", name="Submit for moderation").click()
    expect(inspector.get_by_text(f"{council.name} is submitted for moderation.")).to_be_visible()

    # --- the lead agrees it ----------------------------------------------------------------
    lead.goto(f"/workspace/{year}/moderation/")
    lead.get_by_role("link", name=council.name).click()
    lead.get_by_role("button", name="Agree").click()
    expect(lead.get_by_text(f"{council.name} is agreed.")).to_be_visible()
    expect(lead.locator(stars)).to_contain_text("2 stars")

    # --- the publisher schedules the round --------------------------------------------------
    publisher = new_page()
    sign_in(publisher, publisher_user)
    publisher.get_by_role("link", name="Round status and publication").click()
    publisher.wait_for_url(f"**/workspace/{year}/publication/")
    assert axe_violations(publisher) == []
    # Three minutes ahead, to the minute, London time (TIME_ZONE): at least two in hand.
    when = timezone.localtime(timezone.now() + dt.timedelta(minutes=3))
    publisher.get_by_label("Publication date").fill(when.date().isoformat())
    publisher.get_by_label("Publication time").fill(when.strftime("%H:%M"))
    publisher.get_by_role("button", name="Schedule publication").click()
    expect(publisher.get_by_text(f"The {year} round will be published at")).to_be_visible()
    expect(publisher.get_by_test_id("round-status")).to_have_text("Scheduled for publication")
    case.round.refresh_from_db()
    assert case.round.publication_at == when.replace(second=0, microsecond=0)

    # --- the public: nothing before the publication time, the rating after it --------------
    council_page = f"/councils/{council.slug}/{year}/"
    assert page.goto(council_page).status == 404

    # Stands in for the clock moving on past the publication time. time-machine cannot
    # reliably move the clock of the live server, which answers in another thread, and
    # waiting minutes would make the suite slow; what the public sees depends only on
    # publication_at <= now, so the time is moved back instead of "now" forward.
    models.AssessmentRound.objects.filter(pk=case.round.pk).update(
        publication_at=timezone.now() - dt.timedelta(seconds=1)
    )
    cache.clear()

    # The browser may keep the "not found" until the publication time it was told
    # (Cache-Control), which the line above moved back: ask for a fresh copy.
    response = page.goto(council_page + "?after-the-lift")
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text(council.name)
    expect(page.locator("main")).to_contain_text("2 stars")

    for person in (inspector, lead, publisher):
        assert person.problems == []
