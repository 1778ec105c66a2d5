"""Moderation: an inspector submits an assessment, a lead inspector returns it with
comments or agrees it. Each step is one locked update that bumps the version, so that a
form open elsewhere is stale afterwards; who may take a step is ``workspace.workflow``'s
to say, in the views."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..models import Assessment
from .reading import State


def _transition(assessment: Assessment, user, **changes) -> Assessment:
    with transaction.atomic():
        current = Assessment.objects.select_for_update().get(pk=assessment.pk)
        for name, value in changes.items():
            setattr(current, name, value)
        current.version += 1  # under select_for_update: no lost update
        current._history_user = user
        current.save()
    return Assessment.objects.select_related("round", "council").get(pk=current.pk)


def submit(assessment: Assessment, user) -> Assessment:
    return _transition(
        assessment,
        user,
        state=State.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )


def return_to_inspector(assessment: Assessment, user, comments: str) -> Assessment:
    return _transition(
        assessment,
        user,
        state=State.RETURNED,
        moderated_by=user,
        moderated_at=timezone.now(),
        return_comments=comments,
    )


def agree(assessment: Assessment, user) -> Assessment:
    return _transition(
        assessment,
        user,
        state=State.AGREED,
        moderated_by=user,
        moderated_at=timezone.now(),
        return_comments="",
    )
