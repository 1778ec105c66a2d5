"""A member of the public, in a real browser: search for a council, read its page, open the
league table, sort and filter it, and download what they see."""

import csv
import io
from pathlib import Path


# The bundled data is committed once for the module (``portal_data``, conftest.py).
def test_search_council_league_table_sort_filter_download(portal_data, page):
    page.goto("/")
    search = page.get_by_label("Council name")
    search.fill("st. hel")
    # Suggestions as you type (progressive enhancement: a datalist filled from the API).
    # A function, not a bare expression: a bare string is eval'd, which the CSP refuses.
    page.wait_for_function(
        "() => document.querySelectorAll('#council-search-q-suggestions option').length > 0"
    )
    assert (
        page.locator("#council-search-q-suggestions option").first.get_attribute("value")
        == "St Helens"
    )
    search.fill("St. Helens")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/councils/st-helens/")
    assert page.locator("h1").inner_text().startswith("St Helens")
    assert "star" in page.locator("main").inner_text()

    page.goto("/ratings/2004/")
    assert page.locator("tbody tr").count() == 150
    # Sort by stars, highest first: the link toggles, so follow it until descending.
    page.get_by_role("link", name="Stars").first.click()
    if page.locator("th[aria-sort]").get_attribute("aria-sort") != "descending":
        page.get_by_role("link", name="Stars").first.click()
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert "3 stars" in page.locator("tbody tr").first.inner_text()

    # Filter to zero-star councils with the plain GET form.
    page.get_by_label("0 stars", exact=False).first.check()
    page.get_by_role("button", name="Apply filters").click()
    assert page.locator("tbody tr").count() == 8
    assert "Ealing" in page.locator("tbody").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    rows = list(csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text())))
    assert len(rows) == 8
    assert {row["stars"] for row in rows} == {"0"}
