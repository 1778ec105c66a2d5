"""A database built before the workspace became its own app upgrades with ``migrate`` and
keeps every row: the workspace's tables stay where they were, and so do the roles'
permissions, the audit trail and the admin's log, through the moved content types.

The database is taken back to the migrations of that release (``ratings`` 0003, the
workspace models still in ``ratings``), filled through that release's models (Django's
historical models of those migrations), then migrated forward as ``migrate`` would.
"""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from workspace import models as workspace_models
from workspace import roles

# The release before the move (main, 1 December 2026): ratings at 0003, no workspace app
# (nor the apps that came later, whose first migrations need a later ratings).
BEFORE_THE_MOVE = {"ratings": "0003_roles", "workspace": None, "alerts": None, "feedback": None}
WORKSPACE_TABLES = [
    "ratings_assessment",
    "ratings_assessment_entered_by",
    "ratings_assignment",
    "ratings_domainevidence",
    "ratings_historicalassessment",
    "ratings_historicalassignment",
    "ratings_historicaldomainevidence",
]


def _migrate_back_to(release: dict):
    """Migrate to ``release`` (app label: migration, None for none), every other app as
    it is; return the models of that state."""
    executor = MigrationExecutor(connection)
    targets = [
        (app, release.get(app, name))
        for app, name in executor.loader.graph.leaf_nodes()
        if app not in release
    ] + list(release.items())
    executor.migrate(targets)
    state = executor.loader.project_state([t for t in targets if t[1] is not None])
    return state.apps


def _fill_the_old_release(apps):
    """One row in every table the move touches, written through the old release's models."""
    User = apps.get_model("auth", "User")
    Region = apps.get_model("ratings", "Region")
    Council = apps.get_model("ratings", "Council")
    Domain = apps.get_model("ratings", "Domain")
    Round = apps.get_model("ratings", "AssessmentRound")
    Assessment = apps.get_model("ratings", "Assessment")
    Assignment = apps.get_model("ratings", "Assignment")
    DomainEvidence = apps.get_model("ratings", "DomainEvidence")
    History = {
        name: apps.get_model("ratings", f"Historical{name}")
        for name in ("Assessment", "Assignment", "DomainEvidence")
    }
    ContentType_ = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")

    # The role as that release's migration 0003_roles made it (made again here: a
    # transactional test before this one may have emptied the tables).
    role, _ = apps.get_model("auth", "Group").objects.get_or_create(name=roles.INSPECTOR)
    role.permissions.add(
        apps.get_model("auth", "Permission").objects.get(
            content_type__app_label="ratings", codename="enter_judgements"
        )
    )
    inspector = User.objects.create(username="ina")
    inspector.groups.add(role)
    region = Region.objects.create(name="North West", slug="north-west")
    council = Council.objects.create(
        name="Wigan", slug="wigan", council_type="metropolitan", region=region
    )
    domain = Domain.objects.create(slug="adults", name="Adults", order=1)
    round = Round.objects.create(
        year=2006, title="Star ratings 2006", methodology_version="2005", status="open"
    )
    assignment = Assignment.objects.create(round=round, council=council, inspector=inspector)
    assessment = Assessment.objects.create(
        round=round,
        council=council,
        state="submitted",
        adults_serving="most",
        adults_prospects="promising",
        children_serving="some",
        children_prospects="uncertain",
        submitted_by=inspector,
    )
    assessment.entered_by.add(inspector)
    evidence = DomainEvidence.objects.create(
        round=round, council=council, domain=domain, summary="Waiting lists down."
    )
    when = {"history_date": dt.datetime(2006, 9, 1, tzinfo=dt.UTC), "history_user": inspector}
    History["Assessment"].objects.create(
        id=assessment.pk,
        round=round,
        council=council,
        state="draft",
        history_type="~",
        updated_at=dt.datetime(2006, 9, 1, tzinfo=dt.UTC),
        **when,
    )
    History["Assignment"].objects.create(
        id=assignment.pk,
        round=round,
        council=council,
        inspector=inspector,
        history_type="+",
        **when,
    )
    History["DomainEvidence"].objects.create(
        id=evidence.pk, round=round, council=council, domain=domain, history_type="+", **when
    )
    LogEntry.objects.create(
        action_time=dt.datetime(2006, 9, 2, tzinfo=dt.UTC),
        user=inspector,
        content_type=ContentType_.objects.get(app_label="ratings", model="assessment"),
        object_id=str(assessment.pk),
        object_repr="Wigan 2006",
        action_flag=2,
        change_message="[]",
    )


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in WORKSPACE_TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
        return counts


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_release_before_the_move_keeps_every_row():
    try:
        old_apps = _migrate_back_to(BEFORE_THE_MOVE)
        _fill_the_old_release(old_apps)
        before = _row_counts()
        assert all(before.values()), before

        call_command("migrate", verbosity=0)
        ContentType.objects.clear_cache()

        assert _row_counts() == before
        assessment = workspace_models.Assessment.objects.get()
        assert (assessment.council.name, assessment.state) == ("Wigan", "submitted")
        assert [u.username for u in assessment.entered_by.all()] == ["ina"]
        assert workspace_models.Assignment.objects.get().inspector.username == "ina"
        assert workspace_models.DomainEvidence.objects.get().summary == "Waiting lists down."
        assert [h.state for h in assessment.history.all()] == ["draft"]
        # The content types moved with the models: the role's permissions (and the admin's
        # log) still point at them, and nothing is left under the old label.
        moved = ContentType.objects.get_for_model(workspace_models.Assessment)
        assert moved.app_label == "workspace"
        assert not ContentType.objects.filter(app_label="ratings", model="assessment").exists()
        assert (
            Permission.objects.filter(content_type=moved, codename="enter_judgements").count() == 1
        )
        inspector = get_user_model().objects.get(username="ina")
        assert inspector.has_perm(roles.ENTER)
        assert Group.objects.get(name=roles.INSPECTOR).permissions.filter(content_type=moved)
        from django.contrib.admin.models import LogEntry

        assert LogEntry.objects.get().get_edited_object() == assessment
    finally:
        # Leave the database as every other test expects it.
        call_command("migrate", verbosity=0)
