"""The open data API's OpenAPI 3 schema: served, complete, and free of warnings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

BASE_DIR = Path(__file__).resolve().parent.parent

PATHS = [
    "/api/",
    "/api/councils/",
    "/api/councils/{slug}/",
    "/api/rounds/",
    "/api/rounds/{year}/",
    "/api/rounds/{year}/ratings/",
    "/api/rounds/{year}/summary/",
    "/api/indicators/",
    "/api/rounds/{year}/indicator-values/",
    "/api/record/",
    "/api/publications/upcoming/",
]
RATING_FILTERS = {"region", "type", "stars", "status", "special_measures", "group", "change"}


@pytest.fixture
def schema():
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_schema_is_openapi_3_with_every_path(schema):
    assert schema["openapi"].startswith("3.")
    assert sorted(schema["paths"]) == sorted(PATHS)
    assert all(set(operations) == {"get"} for operations in schema["paths"].values())
    validate_schema(schema)


def test_the_schema_documents_the_filters_and_formats(schema):
    parameters = {
        p["name"]: p for p in schema["paths"]["/api/rounds/{year}/ratings/"]["get"]["parameters"]
    }
    assert RATING_FILTERS | {"ordering", "page", "page_size", "format", "year"} <= set(parameters)
    assert parameters["stars"]["schema"] == {
        "type": "array",
        "items": {"type": "integer", "enum": [0, 1, 2, 3]},
    }
    assert parameters["special_measures"]["schema"] == {"type": "boolean"}
    assert parameters["year"]["schema"] == {"type": "integer"}
    assert parameters["format"]["schema"]["enum"] == ["csv", "json"]
    ok = schema["paths"]["/api/rounds/{year}/ratings/"]["get"]["responses"]["200"]["content"]
    assert ok["text/csv"]["schema"]["type"] == "string"
    assert {"400", "404"} <= set(schema["paths"]["/api/rounds/{year}/ratings/"]["get"]["responses"])


def test_the_summary_shape_is_documented(schema):
    summary = schema["components"]["schemas"]["Summary"]["properties"]
    assert {
        "year",
        "councils",
        "stars",
        "two_or_three_stars",
        "serving_most_adults_well_percent",
        "serving_most_children_well_percent",
        "adults_prospects_promising_or_excellent_percent",
        "children_prospects_promising_or_excellent_percent",
        "special_measures",
        "headlines",
    } <= set(summary)
    stars = schema["components"]["schemas"]["StarCounts"]
    assert sorted(stars["properties"]) == ["0", "1", "2", "3"]


def test_spectacular_validates_without_warnings(tmp_path):
    """What CI runs: ``manage.py spectacular --validate --fail-on-warn``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.test_settings"}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "spectacular",
            "--validate",
            "--fail-on-warn",
            "--file",
            str(tmp_path / "schema.yaml"),
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stderr
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")
