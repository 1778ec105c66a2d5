"""SQLite in development (``make run``: the server and the report worker) waits for a
lock instead of failing with "database is locked" when two write at once (issue 10)."""

import contextlib
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = pytest.mark.nodb


def _wrapper(path: Path, options: dict) -> DatabaseWrapper:
    settings_dict = {
        **connections["default"].settings_dict,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": options,
    }
    return DatabaseWrapper(settings_dict, alias="locking-test")


def _read_then_write(path: Path, options: dict, started: threading.Barrier, failures: list):
    """What a request saving a form does: read, then write, in one transaction."""
    connection = _wrapper(path, options)
    try:
        # As transaction.atomic() begins a transaction on SQLite: BEGIN (or BEGIN
        # IMMEDIATE, with the portal's transaction_mode).
        connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        connection.cursor().execute("SELECT COUNT(*) FROM counter")
        # Both read before either writes (unless the other is waiting for the lock this
        # one holds, when the wait times out).
        with contextlib.suppress(threading.BrokenBarrierError):
            started.wait(timeout=2)
        connection.cursor().execute("UPDATE counter SET n = n + 1")
        connection.commit()
    except Exception as error:  # noqa: BLE001 (the test reports any failure)
        failures.append(repr(error))
        connection.rollback()
    finally:
        connection.close()


def _concurrent_saves(tmp_path: Path, options: dict) -> tuple[list, int]:
    path = tmp_path / "dev.sqlite3"
    setup = _wrapper(path, options)
    setup.cursor().execute("CREATE TABLE counter (n INTEGER)")
    setup.cursor().execute("INSERT INTO counter VALUES (0)")
    setup.close()
    failures: list = []
    # With IMMEDIATE the second BEGIN waits for the first to commit, so they never both
    # reach the barrier (it times out for the first); without it, both read, then both
    # try to write.
    started = threading.Barrier(2)
    threads = [
        threading.Thread(target=_read_then_write, args=(path, options, started, failures))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    check = _wrapper(path, options)
    (count,) = check.cursor().execute("SELECT n FROM counter").fetchone()
    check.close()
    return failures, count


@pytest.fixture(autouse=True)
def unblocked(django_db_blocker):
    """These tests open their own SQLite files, never the test database."""
    with django_db_blocker.unblock():
        yield


def test_two_saves_at_once_both_succeed_with_the_portals_sqlite_options(tmp_path):
    failures, count = _concurrent_saves(tmp_path, settings.SQLITE_OPTIONS)
    assert [f for f in failures if "locked" in f] == []
    assert count == 2


def test_without_them_one_fails_as_before(tmp_path):
    """The failure the options remove (issue 10, failure 4), shown on the default options."""
    failures, count = _concurrent_saves(tmp_path, {})
    assert any("database is locked" in f for f in failures)
    assert count == 1


def test_the_development_database_uses_them(monkeypatch):
    import importlib

    import portal.settings as portal_settings

    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/portal-dev.sqlite3")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    reloaded = importlib.reload(portal_settings)
    try:
        options = reloaded.DATABASES["default"]["OPTIONS"]
        assert options["transaction_mode"] == "IMMEDIATE"
        assert options["timeout"] >= 5
        assert "journal_mode=WAL" in options["init_command"]
    finally:
        monkeypatch.undo()
        importlib.reload(portal_settings)
