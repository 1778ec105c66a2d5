"""axe-core finds no WCAG 2.2 A/AA violations on the public pages, in a real browser."""

import pytest

from ratings import bundled_data

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/", "/methodology/", "/about/", "/accessibility/", "/open-data/"]


@pytest.fixture
def portal_data(transactional_db):
    bundled_data.load_portal_data()


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(portal_data, page, axe_violations, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
