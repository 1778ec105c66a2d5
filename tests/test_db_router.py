"""The read replica's router: which reads go to the replica (an anonymous visitor's public
page, the ratings data only, not just after a change) and which to the primary
(everything else). No replica runs here: the decisions are checked, not the copying."""

import runpy
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.test import RequestFactory

from portal import db_router
from ratings.models import AssessmentRound, Council
from ratings.signals import data_changed
from reports.models import BuiltReport

router = db_router.ReplicaRouter()


@pytest.fixture
def replica(monkeypatch):
    """As if DATABASE_REPLICA_URL were set."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)
    cache.delete(db_router.PINNED_KEY)
    yield
    cache.delete(db_router.PINNED_KEY)


def database_read_by(request) -> str:
    """Which database a read of the ratings data goes to while the middleware handles
    ``request``."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(Council))
        return "response"

    assert db_router.ReplicaReadsMiddleware(view)(request) == "response"
    return seen[0]


factory = RequestFactory()


def test_an_anonymous_public_page_reads_the_replica(replica):
    assert database_read_by(factory.get("/ratings/2004/")) == "replica"
    assert database_read_by(factory.head("/councils/")) == "replica"


def test_a_signed_in_person_or_a_staff_area_reads_the_primary(replica):
    signed_in = factory.get("/ratings/2004/")
    signed_in.COOKIES["sessionid"] = "abc"
    assert database_read_by(signed_in) == "default"
    for path in ("/workspace/", "/admin/", "/accounts/login/"):
        assert database_read_by(factory.get(path)) == "default", path


def test_a_write_reads_the_primary(replica):
    assert database_read_by(factory.post("/accounts/login/")) == "default"
    assert database_read_by(factory.post("/ratings/2004/")) == "default"


def test_after_a_change_of_the_data_every_read_is_the_primary_for_a_while(replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 30
    data_changed.send(sender=None)
    assert database_read_by(factory.get("/ratings/2004/")) == "default"
    cache.delete(db_router.PINNED_KEY)  # as when DATABASE_REPLICA_MAX_LAG has passed
    assert database_read_by(factory.get("/ratings/2004/")) == "replica"


def test_only_the_public_ratings_data_is_read_from_the_replica(replica):
    with db_router.replica_reads():
        assert router.db_for_read(AssessmentRound) == "replica"
        # A report built a moment ago, sessions, the task queue: the primary's.
        assert router.db_for_read(BuiltReport) == "default"


def test_writes_and_migrations_are_the_primary_s(replica):
    with db_router.replica_reads():
        assert router.db_for_write(Council) == "default"
    assert router.allow_migrate("default", "ratings") is True
    assert router.allow_migrate("replica", "ratings") is False


def test_outside_a_request_everything_reads_the_primary(replica):
    # The worker and the management commands: no middleware, no replica.
    assert router.db_for_read(Council) == "default"


def test_without_a_replica_nothing_changes():
    with db_router.replica_reads():
        assert router.db_for_read(Council) == "default"
    with pytest.raises(MiddlewareNotUsed):
        db_router.ReplicaReadsMiddleware(lambda request: None)


def settings_with(monkeypatch, **env) -> dict:
    """The real settings module's values with ``env`` set (run afresh, not imported)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(db_router.__file__).with_name("settings.py")))


def test_a_replica_url_adds_the_replica_and_the_router(monkeypatch):
    values = settings_with(
        monkeypatch,
        DEBUG="0",
        SECRET_KEY="s" * 50,
        DATABASE_URL="postgres://portal@primary.internal:5432/portal",
        DATABASE_REPLICA_URL="postgres://portal@replica.internal:5432/portal",
        DATABASE_REPLICA_MAX_LAG="12",
    )
    replica = values["DATABASES"]["replica"]
    assert (replica["HOST"], replica["NAME"]) == ("replica.internal", "portal")
    assert replica["TEST"] == {"MIRROR": "default"}
    assert values["DATABASE_REPLICA_MAX_LAG"] == 12
    assert values["DATABASE_ROUTERS"] == ["portal.db_router.ReplicaRouter"]
    assert "portal.db_router.ReplicaReadsMiddleware" in values["MIDDLEWARE"]


def test_without_a_replica_url_there_is_one_database(monkeypatch):
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    values = settings_with(monkeypatch, DEBUG="0", SECRET_KEY="s" * 50)
    assert list(values["DATABASES"]) == ["default"]
