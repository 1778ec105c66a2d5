"""Real-browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Playwright's synchronous API runs an event loop in the test's thread, so Django's guard
against ORM calls from async code is lifted for these tests only.

The live server answers from its own thread (and, on PostgreSQL, its own connection), so it
sees only committed data. Tests that write (the workspace journey) use a transactional
database, emptied after each test. Tests that only read the bundled data ask for
``portal_data`` instead: loaded and committed once for their module, emptied at its end.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"chromium is required on CI and is not at {CHROMIUM}")
        pytest.skip("Debian's chromium is not installed: run `make browsers`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def axe_violations():
    """Run axe-core (WCAG 2.2 A and AA rules) on the page; return its violations."""

    def check(page):
        # Evaluated, not added as a <script>: the site's Content-Security-Policy rightly
        # refuses inline scripts, and page.evaluate is not subject to it.
        page.evaluate(AXE.read_text())
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
        )
        return [
            f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
            for v in result["violations"]
        ]

    return check


@pytest.fixture(scope="module")
def portal_data(django_db_setup, django_db_blocker):
    """The bundled data, committed once for a module of read-only browser tests; the
    database is emptied at the module's end (as a transactional test leaves it)."""
    from ratings import bundled_data
    from workspace import roles

    with django_db_blocker.unblock():
        bundled_data.load_portal_data()
        try:
            yield
        finally:
            call_command("flush", interactive=False, verbosity=0)
            # flush brings back the permissions (post_migrate), not the roles' groups.
            roles.ensure_roles()


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's own helper, but a test on ``portal_data`` (read-only, committed once
    for the module) is not given a transactional database, which would empty the database
    after every test and so need the data loaded again for the next."""
    if "live_server" not in request.fixturenames:
        yield
        return
    if "portal_data" not in request.fixturenames:
        request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()
