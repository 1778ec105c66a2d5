"""What every test shares: an empty cache, the command runner, data made once per module,
and the markers that let ``make test`` run each test where it tells us something.

Markers (``pyproject.toml``):

- ``nodb``: set here on every test that does not ask for the database (pytest-django
  refuses database access to those, so the mark cannot be wrong). They run once, in the
  SQLite run: a second run against PostgreSQL would check nothing new.
- ``browser`` (every test under ``tests/browser/``) and ``pdf`` (real WeasyPrint renders):
  what they check is drawn by the browser or WeasyPrint, not by the database, so
  ``make test`` runs them once, against PostgreSQL, the production database.
- ``sweep`` (set by the modules that ask for every public address: the embargo sweep, the
  query-string property test, the API's schemathesis run): their cost is rendering
  hundreds of pages, not the database; the database's part of what they check (the
  embargo gate's SQL, the league table's, the selectors') has tests of its own on both
  engines. ``make test`` runs them once, against PostgreSQL, the production database.
- ``record`` (set by the modules that check the bundled data against the published
  record): what they check is the data and the words, which no database engine changes,
  so ``make test`` runs them once, in the SQLite run.
"""

from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import transaction

BROWSER_TESTS = Path(__file__).parent / "browser"
# Each takes tens of seconds (bench/results.md, the suite's section).
LONGEST_MODULES = (
    "test_embargo_sweep.py",
    "test_accessibility.py",
    "test_query_strings.py",
    "test_reference_data.py",
    "test_sample_data.py",
    "test_published_record.py",
)
DB_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences", "module_db"}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: cached pages and rate limits must not cross
    tests."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _roles(request, django_db_blocker):
    """The staff roles' groups, as migration ``ratings.0003_roles`` made them, for every
    test that uses the database. A transactional test ends by emptying every table
    (pytest-django's flush), which brings back the permissions but not the groups, so a
    later test on the same worker would otherwise depend on the order tests run in."""
    if _uses_db(request.node):
        with django_db_blocker.unblock():
            _ensure_roles()
    yield


def _ensure_roles() -> None:
    from django.contrib.auth.models import Group

    from workspace import roles

    if Group.objects.filter(name__in=roles.ROLES).count() < len(roles.ROLES):
        roles.ensure_roles()


@pytest.fixture
def call(capsys):
    """Run a management command; return (exit status, stdout, stderr)."""
    from django.core.management import call_command

    def run(*args):
        status = 0
        try:
            call_command(*args)
        except SystemExit as exit_:
            status = exit_.code
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture
def download(client, django_capture_on_commit_callbacks):
    """GET a report file as a visitor waiting for it would: a file not built yet is a 503
    whose build job the immediate task backend runs once the request commits, then the
    file. Returns the last answer (a 404 or a stored file at once)."""

    def get(url, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.get(url, **kwargs)
        if response.status_code != 503:
            return response
        assert response["Retry-After"].isdigit()
        return client.get(url, **kwargs)

    return get


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker):
    """One transaction around a whole module, rolled back at its end.

    A module-scoped fixture that asks for this can make data once for every test of the
    module (the bundled data takes seconds to load); each test still runs inside its own
    savepoint (pytest-django's ``db``), so what one test writes is gone before the next.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        _ensure_roles()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def bundled(module_db):
    """The bundled data (``make run``'s), loaded once for the module."""
    from ratings import bundled_data

    from .transactions import settle

    bundled_data.load_portal_data()
    settle()


def _uses_db(item) -> bool:
    return bool(item.get_closest_marker("django_db")) or bool(
        DB_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


# First, so that ``-m`` (pytest's own hook) sees the markers set here.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("nodb") and _uses_db(item):
            raise pytest.UsageError(f"{item.nodeid} is marked nodb but uses the database")
        if not _uses_db(item):
            item.add_marker(pytest.mark.nodb)
        if BROWSER_TESTS in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
    # The longest modules first: pytest-xdist (--dist loadfile) hands out modules in this
    # order, so a minute-long module starts at once instead of running alone at the end
    # while the other worker waits.
    items.sort(key=lambda item: Path(str(item.fspath)).name not in LONGEST_MODULES)
