"""Demo staff and a demo round for trying the workspace on `make run` data.

`make demo-users` (the ``create_demo_staff`` command) calls :func:`create_demo_staff`. It
makes one user per role with a fresh random password each time (printed, never stored in
the repository), and a sample 2006 round, open for judgements, in which every council but
two is already agreed, so that one inspector's journey (enter, submit, return, agree,
schedule, publish) can be walked through in minutes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ratings import rules, services
from ratings.models import AssessmentRound, Council, IndicatorValue, RoundStatus

from . import roles
from .models import Assessment, AssessmentState, Assignment, CouncilContact

DEMO_YEAR = 2006
BASE_YEAR = 2005  # the demo round starts from these judgements and indicator values
DEMO_COUNCILS = 2  # left for the demo inspector; every other council is agreed

STAFF = [
    # username, full name, role, is_staff (Django admin), is_superuser
    ("inspector", "Ina Inspector", roles.INSPECTOR, False, False),
    ("inspector2", "Ivan Inspector", roles.INSPECTOR, False, False),
    ("lead", "Lena Lead", roles.LEAD_INSPECTOR, False, False),
    ("lead2", "Leo Lead", roles.LEAD_INSPECTOR, False, False),
    ("publisher", "Pat Publisher", roles.PUBLISHER, False, False),
    ("admin", "Ada Administrator", roles.ADMINISTRATOR, True, True),
    # A council's contact: sees the first demo council's rating once the round is
    # scheduled, from its pre-release window.
    ("council", "Cora Contact", roles.COUNCIL_CONTACT, False, False),
]


@dataclass
class DemoStaff:
    passwords: dict[str, str]
    round: AssessmentRound
    inspector_councils: list[Council]
    round_created: bool


@transaction.atomic
def create_demo_staff() -> DemoStaff:
    User = get_user_model()
    passwords = {}
    users = {}
    for username, full_name, role, is_staff, is_superuser in STAFF:
        first, last = full_name.split(" ", 1)
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@inspectorate.example"
        user.is_staff, user.is_superuser = is_staff, is_superuser
        passwords[username] = secrets.token_urlsafe(12)
        user.set_password(passwords[username])
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        users[username] = user

    round, created = _demo_round(users)
    councils = list(
        Council.objects.filter(
            assignments__round=round, assignments__inspector=users["inspector"]
        ).order_by("name")
    )
    CouncilContact.objects.update_or_create(
        user=users["council"], defaults={"council": councils[0], "job_title": "Director"}
    )
    return DemoStaff(passwords, round, councils, created)


def _demo_round(users) -> tuple[AssessmentRound, bool]:
    existing = AssessmentRound.objects.filter(year=DEMO_YEAR).first()
    if existing is not None:
        return existing, False
    round = AssessmentRound.objects.create(
        year=DEMO_YEAR,
        title=f"Social services star ratings {DEMO_YEAR} (demo)",
        methodology_version=str(BASE_YEAR),
        status=RoundStatus.OPEN,
        is_sample=True,
    )
    base = AssessmentRound.objects.filter(year=BASE_YEAR).first()
    councils = list(Council.objects.select_related("region").order_by("region__name", "name"))
    mine = {c.pk for c in councils[:DEMO_COUNCILS]}
    Assignment.objects.bulk_create(
        Assignment(
            round=round,
            council=council,
            inspector=users["inspector" if council.pk in mine else "inspector2"],
        )
        for council in councils
    )
    if base is not None:
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                round=round,
                council_id=value.council_id,
                indicator_id=value.indicator_id,
                value=value.value,
                exempt=value.exempt,
            )
            for value in IndicatorValue.objects.filter(round=base)
        )
    latest = services.latest_ratings(base) if base else {}
    caps = services.caps_for_round(round)
    now = timezone.now()
    agreed = []
    for council in councils:
        if council.pk in mine:
            continue
        judgements = latest.get(council.pk) and latest[council.pk].rules_judgements()
        if judgements is None:
            # Not rated in the base year: a middling set, so every council can be agreed.
            values = ("most", "promising", "most", "promising")
        else:
            values = (
                judgements.adults_serving,
                judgements.adults_prospects,
                judgements.children_serving,
                judgements.children_prospects,
            )
        values = _within_caps(values, caps.get(council.pk, []))
        agreed.append(
            Assessment(
                round=round,
                council=council,
                state=AssessmentState.AGREED,
                adults_serving=values[0],
                adults_prospects=values[1],
                children_serving=values[2],
                children_prospects=values[3],
                version=3,
                submitted_by=users["inspector2"],
                submitted_at=now,
                moderated_by=users["lead2"],
                moderated_at=now,
            )
        )
    Assessment.objects.bulk_create(agreed)
    Assessment.history.bulk_history_create(agreed, default_user=users["lead2"])
    through = Assessment.entered_by.through
    through.objects.bulk_create(
        through(assessment_id=a.pk, user_id=users["inspector2"].pk) for a in agreed
    )
    return round, True


def _within_caps(values: tuple[str, ...], caps) -> tuple[str, ...]:
    """Lower a 'serving people well' judgement to the cap a failed key indicator sets."""
    adults, adults_prospects, children, children_prospects = values
    levels = rules.SERVING_LEVELS
    for cap in caps:
        if cap.service == "adults" and levels.index(adults) > levels.index(cap.maximum):
            adults = cap.maximum
        if cap.service == "children" and levels.index(children) > levels.index(cap.maximum):
            children = cap.maximum
    return adults, adults_prospects, children, children_prospects
