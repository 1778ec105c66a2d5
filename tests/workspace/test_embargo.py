"""The embargo sweep for a round published through the workspace: scheduled by the
publisher for next week, nothing of it is on any public surface; at its time, all of it is.

The round is entered, moderated and scheduled once for the module; the surfaces are swept
in parts (as in ``tests/test_embargo_sweep.py``)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ratings import models
from tests.test_embargo_sweep import (  # noqa: F401 (text_pdfs: a fixture, used by name)
    CHUNKS,
    FUTURE_YEAR,
    ROUND_MARKER,
    chunk,
    leaks,
    surfaces,
    text_pdfs,
)
from workspace import demo
from workspace import models as workspace_models
from workspace import services as work

from ..transactions import settle

# The data is made once for the module: its parts stay on one worker (while the other
# sweep module runs on the other).
pytestmark = pytest.mark.django_db

EVIDENCE_MARKER = "Embargoed evidence summary"


@pytest.fixture(scope="module")
def scheduled(text_pdfs, bundled):  # noqa: F811 (the fixture, by name)
    """The demo round, its last councils entered, agreed and the round scheduled by the
    publisher (through the workspace's pages) for next week."""
    result = demo.create_demo_staff()
    round = result.round
    assert round.year == FUTURE_YEAR
    models.AssessmentRound.objects.filter(pk=round.pk).update(title=ROUND_MARKER)
    round.refresh_from_db()
    inspector = (
        workspace_models.Assignment.objects.filter(
            round=round, council__in=result.inspector_councils
        )
        .first()
        .inspector
    )
    lead = get_user_model().objects.get(username="lead")
    domain = models.Domain.objects.first()
    for council in result.inspector_councils:
        assessment = work.assessment_for(round, council)
        assessment = work.save_assessment(
            assessment,
            judgements={
                "adults_serving": "most",
                "adults_prospects": "promising",
                "children_serving": "most",
                "children_prospects": "promising",
            },
            evidence={domain.pk: (EVIDENCE_MARKER, "")},
            expected_version=assessment.version,
            user=inspector,
        )
        work.submit(assessment, inspector)
        work.agree(assessment, lead)
    publisher = Client()
    publisher.force_login(get_user_model().objects.get(username="publisher"))
    when = (timezone.now() + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    local = timezone.localtime(when)
    response = publisher.post(
        reverse("workspace:publication", args=[round.year]),
        {"action": "schedule", "date": local.date().isoformat(), "time": local.strftime("%H:%M")},
    )
    assert response.status_code == 302
    assert models.Rating.objects.filter(round=round).count() == models.Council.objects.count()
    settle()
    return {"when": when, "result": result}


@pytest.mark.parametrize("part", range(CHUNKS))
def test_a_round_scheduled_in_the_workspace_is_on_no_public_surface_until_its_time(
    client, scheduled, part
):
    paths = surfaces(client)
    assert leaks(client, chunk(paths, part), markers=[EVIDENCE_MARKER]) == []


def test_the_round_scheduled_in_the_workspace_appears_at_its_time(client, scheduled):
    when, result = scheduled["when"], scheduled["result"]
    with time_machine.travel(when + dt.timedelta(seconds=1), tick=False):
        council = result.inspector_councils[0]
        assert client.get(f"/ratings/{FUTURE_YEAR}/").status_code == 200
        page = client.get(f"/councils/{council.slug}/{FUTURE_YEAR}/")
        assert page.status_code == 200
        assert "2 stars" in page.content.decode()
        assert client.get(f"/api/rounds/{FUTURE_YEAR}/ratings/").status_code == 200
