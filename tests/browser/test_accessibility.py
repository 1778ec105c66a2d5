"""axe-core finds no WCAG 2.2 A/AA violations on the public pages, in a real browser."""

import pytest

PAGES = [
    "/",
    "/ratings/",
    "/ratings/2004/",
    "/ratings/2004/?stars=0&stars=1&o=-stars",
    "/ratings/2004/summary/",
    "/ratings/2002/summary/",
    "/ratings/2002/?as_at=2002-06-01",
    "/record/",
    "/councils/ealing/",
    "/councils/tower-hamlets/2004/",
    "/councils/?q=hel",
    "/compare/?councils=ealing,gateshead,sandwell",
    "/compare/?councils=ealing",
    "/methodology/",
    "/about/",
    "/accessibility/",
    "/open-data/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(portal_data, page, axe_violations, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []


def test_feedback_form_its_error_and_its_thank_you_page_have_no_axe_violations(
    portal_data, page, axe_violations
):
    page.goto("/about/")
    page.get_by_text("Report a problem with this page").click()
    page.get_by_label("What went wrong?").fill("x" * 1201)
    assert axe_violations(page) == []  # the form opened, the character count over its limit
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Report a problem with this page"
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("What went wrong?").fill("The contact link")
    page.get_by_role("button", name="Send").click()
    assert page.locator("h1").inner_text() == "Thank you for your feedback"
    assert axe_violations(page) == []
    page.get_by_role("link", name="Go back to the page you were on").click()
    assert page.url.endswith("/about/")
