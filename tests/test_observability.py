"""One JSON log line per request with its id, view, status and duration; /metrics in
Prometheus's format, to the configured addresses only."""

import json
import logging

import pytest
from prometheus_client.parser import text_string_to_metric_families
from pythonjsonlogger.json import JsonFormatter

from .factories import AssessmentRoundFactory

pytestmark = pytest.mark.django_db


def samples(text: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def metric(client, name: str, **labels) -> float:
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    return samples(response.content.decode()).get((name, tuple(sorted(labels.items()))), 0.0)


def test_every_request_gets_an_id_and_a_log_line(client, caplog):
    AssessmentRoundFactory(year=2004)
    with caplog.at_level(logging.INFO, logger="portal.requests"):
        response = client.get("/ratings/2004/summary/")
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32
    (record,) = [r for r in caplog.records if r.name == "portal.requests"]
    line = json.loads(JsonFormatter("%(message)s").format(record))
    assert line["message"] == "request"
    assert line["request_id"] == request_id
    assert (line["view"], line["status"], line["method"]) == ("national-summary", 200, "GET")
    assert line["path"] == "/ratings/2004/summary/"
    assert line["duration_ms"] >= 0


def test_the_proxys_request_id_is_kept_when_it_is_a_plain_token(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    made_up = client.get("/healthz", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert made_up != "<script>" and len(made_up) == 32


def test_metrics_count_requests_by_view_and_status_and_the_page_cache(client):
    AssessmentRoundFactory(year=2004)
    before = metric(
        client, "portal_requests_total", view="league-table", method="GET", status="200"
    )
    hits = metric(client, "portal_page_cache_total", result="hit")
    client.get("/ratings/2004/summary/")
    client.get("/ratings/2004/summary/")
    client.get("/ratings/2004/")
    after = metric(client, "portal_requests_total", view="league-table", method="GET", status="200")
    assert after == before + 1
    assert metric(client, "portal_page_cache_total", result="hit") >= hits + 1
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'portal_request_duration_seconds_bucket{le="0.5",view="national-summary"}' in text
    assert "portal_task_queue_length 0.0" in text


def test_metrics_are_only_for_the_configured_addresses_and_never_through_the_proxy(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    forwarded = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert forwarded.status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
