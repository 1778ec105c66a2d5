"""The administrators' side: assigning councils to inspectors by region in the admin, and
what the admin will not change (ratings, rounds' publication)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from workspace import models as workspace_models
from workspace import roles

from . import staff

pytestmark = pytest.mark.django_db


def test_an_administrator_assigns_a_regions_councils_to_an_inspector():
    administrator = staff.StaffFactory(
        username="administrator", is_staff=True, role=roles.ADMINISTRATOR
    )
    round = factories.AssessmentRoundFactory(year=2006, methodology_version="2005", draft=True)
    north_east = [factories.CouncilFactory() for _ in range(2)]
    elsewhere = factories.CouncilFactory(region=factories.RegionFactory(name="London"))
    inspector = staff.inspector()
    client = Client()
    client.force_login(administrator)

    response = client.post(
        reverse("admin:ratings_council_changelist")
        + "?region__id__exact="
        + str(north_east[0].region_id),
        {
            "action": "assign",
            "_selected_action": [c.pk for c in north_east],
            "assign_round": round.pk,
            "assign_inspector": inspector.pk,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "2 councils assigned to inspector for 2006." in response.content.decode()
    assigned = workspace_models.Assignment.objects.filter(round=round, inspector=inspector)
    assert {a.council for a in assigned} == set(north_east)
    assert not workspace_models.Assignment.objects.filter(council=elsewhere).exists()
    assert assigned.first().history.first().history_user == administrator


def test_the_admin_cannot_change_ratings_or_a_rounds_publication():
    superuser = staff.StaffFactory(username="root", is_staff=True, is_superuser=True)
    rating = factories.RatingFactory()
    client = Client()
    client.force_login(superuser)

    page = client.get(reverse("admin:ratings_rating_change", args=[rating.pk]))
    assert page.status_code == 200
    assert b'name="note"' not in page.content
    round_page = client.get(reverse("admin:ratings_assessmentround_change", args=[rating.round.pk]))
    assert b'name="status"' not in round_page.content
    assert b'name="publication_at' not in round_page.content
