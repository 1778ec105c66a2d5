"""The administrators' side: assigning councils to inspectors by region in the admin, and
what the admin will not change (ratings, rounds' publication, anything through a history
revert)."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from ratings import admin as ratings_admin
from ratings.models import AssessmentRound
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


# History and publication: nothing published changes through the admin -------------------


def superuser_client():
    client = Client()
    client.force_login(staff.StaffFactory(username="root", is_staff=True, is_superuser=True))
    return client


def round_scheduled_after_a_draft(publication_at):
    """A round whose history holds a draft version before the scheduled one: what a revert
    would bring back."""
    round = factories.AssessmentRoundFactory(year=2004, draft=True)
    round.status = AssessmentRound.Status.SCHEDULED
    round.publication_at = publication_at
    round.save()
    return round


@pytest.mark.parametrize(
    "publication_at",
    [
        dt.datetime(2004, 11, 18, tzinfo=dt.UTC),  # published
        timezone.now() + dt.timedelta(days=7),  # scheduled, still embargoed
    ],
    ids=["published", "scheduled"],
)
def test_the_admin_cannot_revert_a_round_to_an_earlier_version(publication_at):
    round = round_scheduled_after_a_draft(publication_at)
    draft = round.history.earliest()
    assert draft.status == AssessmentRound.Status.DRAFT
    client = superuser_client()

    history = client.get(reverse("admin:ratings_assessmentround_history", args=[round.pk]))
    assert history.status_code == 200
    version = reverse(
        "admin:ratings_assessmentround_simple_history", args=[round.pk, draft.history_id]
    )
    page = client.get(version)
    assert page.status_code == 200
    assert b"Revert" not in page.content
    assert b'name="title"' not in page.content  # the old version, to read only

    for data in ({"title": "Reverted"}, {"title": "Reverted", "_save": "Revert"}):
        response = client.post(version, data)
        assert response.status_code == 403
    round.refresh_from_db()
    assert round.status == AssessmentRound.Status.SCHEDULED
    assert round.publication_at == publication_at
    assert round.title == "Social services star ratings 2004"
    assert round.history.count() == 2


def test_a_published_round_is_read_only_and_cannot_be_deleted_in_the_admin():
    round = factories.RatingFactory().round
    assert round.is_published()
    client = superuser_client()
    change = reverse("admin:ratings_assessmentround_change", args=[round.pk])

    page = client.get(change)
    assert page.status_code == 200
    assert b'name="title"' not in page.content
    assert b'name="_save"' not in page.content
    assert client.post(change, {"title": "Changed", "is_sample": "on"}).status_code == 403

    delete = reverse("admin:ratings_assessmentround_delete", args=[round.pk])
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    bulk = client.post(
        reverse("admin:ratings_assessmentround_changelist"),
        {"action": "delete_selected", "_selected_action": [round.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)

    round.refresh_from_db()
    assert round.title == "Social services star ratings 2004"
    assert not round.is_sample
    assert round.ratings.count() == 1


def test_a_scheduled_rounds_title_changes_in_the_admin_but_not_its_publication():
    publication_at = timezone.now() + dt.timedelta(days=7)
    round = round_scheduled_after_a_draft(publication_at)
    client = superuser_client()
    change = reverse("admin:ratings_assessmentround_change", args=[round.pk])

    response = client.post(
        change,
        {
            "title": "Star ratings 2004 (revised title)",
            "status": "draft",
            "pre_release_days": "4",
            "publication_at_0": "",
            "publication_at_1": "",
        },
    )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.title == "Star ratings 2004 (revised title)"
    assert round.status == AssessmentRound.Status.SCHEDULED
    assert round.publication_at == publication_at
    # Its ratings are made; cancelling a publication is not the admin's to do.
    delete = reverse("admin:ratings_assessmentround_delete", args=[round.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AssessmentRound.objects.filter(pk=round.pk).exists()


def test_a_draft_round_can_still_be_deleted_in_the_admin():
    round = factories.AssessmentRoundFactory(year=2007, draft=True)
    client = superuser_client()
    delete = reverse("admin:ratings_assessmentround_delete", args=[round.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not AssessmentRound.objects.filter(pk=round.pk).exists()


def test_the_admin_cannot_revert_or_delete_a_rating():
    rating = factories.RatingFactory()
    first = rating.history.earliest()
    rating.note = "Changed after publication"
    rating.save()
    client = superuser_client()

    version = reverse("admin:ratings_rating_simple_history", args=[rating.pk, first.history_id])
    assert client.get(version).status_code == 200
    assert client.post(version, {"_save": "Revert"}).status_code == 403
    delete = reverse("admin:ratings_rating_delete", args=[rating.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    rating.refresh_from_db()
    assert rating.note == "Changed after publication"
    assert rating.history.count() == 2


def test_no_history_in_the_admin_can_be_reverted():
    """A revert saves an old version through no service and no rule, whatever the model."""
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True
    with_history = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert len(with_history) >= 6
    for model_admin in with_history:
        assert isinstance(model_admin, ratings_admin.HistoryToReadAdmin), model_admin


def test_a_published_rounds_indicator_values_are_read_only_in_the_admin():
    value = factories.IndicatorValueFactory(value=55)
    draft = factories.IndicatorValueFactory(
        round=factories.AssessmentRoundFactory(year=2007, draft=True)
    )
    client = superuser_client()

    change = reverse("admin:ratings_indicatorvalue_change", args=[value.pk])
    page = client.get(change).content.decode()
    assert 'name="value"' not in page  # shown read-only
    assert client.post(change, {"value": "1"}).status_code == 403
    assert (
        client.post(
            reverse("admin:ratings_indicatorvalue_delete", args=[value.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    value.refresh_from_db()
    assert value.value == 55
    # Before publication they are still the administrators' to fix.
    assert (
        'name="value"'
        in client.get(
            reverse("admin:ratings_indicatorvalue_change", args=[draft.pk])
        ).content.decode()
    )
