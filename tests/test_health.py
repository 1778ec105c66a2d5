"""/healthz (the process answers) and /readyz (the database and the shared cache answer)."""

import pytest
from django.core.cache import cache
from django.db import connection


def test_healthz_asks_nothing_of_the_database(client):
    # No django_db mark: pytest-django refuses any database access here.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_when_the_database_and_the_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_503_when_the_cache_forgets(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "ready": False,
        "database": "ok",
        "cache": "failing: RuntimeError",
    }


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_fails(client, monkeypatch):
    def broken():
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "failing: OperationalError"
    assert response.json()["cache"] == "ok"
