"""Moderation: an inspector submits an assessment, a lead inspector returns it with
comments or agrees it.

Each step locks the assessment's row and asks ``workspace.workflow`` again, about the row
as it is now: the page the button was on may be out of date (another lead inspector may
have returned what this one is agreeing), and only the locked row can say. A step that
is already done, by the same person, is not done twice (a double click, a resubmitted
form): it is a success with nothing to write. Each step bumps the version, so that a form
open elsewhere is stale afterwards."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from .. import workflow
from ..models import Assessment
from .errors import WorkflowError
from .reading import State, entered_by_ids, inspector_id


def _transition(
    assessment: Assessment,
    user,
    *,
    allowed: Callable[[Assessment], workflow.Decision] | None = None,
    done: Callable[[Assessment], bool] | None = None,
    **changes,
) -> Assessment:
    with transaction.atomic():
        current = (
            Assessment.objects.select_for_update()
            .select_related("round", "council")
            .get(pk=assessment.pk)
        )
        if done is not None and done(current):
            return current
        if allowed is not None:
            decision = allowed(current)
            if not decision:
                raise WorkflowError(decision.reason)
        for name, value in changes.items():
            setattr(current, name, value)
        current.version += 1  # under select_for_update: no lost update
        current._history_user = user
        current.save()
    return Assessment.objects.select_related("round", "council").get(pk=current.pk)


def submitted_by(assessment: Assessment, user) -> bool:
    return assessment.state == State.SUBMITTED and assessment.submitted_by_id == user.pk


def returned_by(assessment: Assessment, user) -> bool:
    return assessment.state == State.RETURNED and assessment.moderated_by_id == user.pk


def agreed_by(assessment: Assessment, user) -> bool:
    return assessment.state == State.AGREED and assessment.moderated_by_id == user.pk


def submit(assessment: Assessment, user) -> Assessment:
    return _transition(
        assessment,
        user,
        allowed=lambda a: workflow.can_submit(user, a, inspector_id(a.round, a.council)),
        done=lambda a: submitted_by(a, user),
        state=State.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )


def return_to_inspector(assessment: Assessment, user, comments: str) -> Assessment:
    return _transition(
        assessment,
        user,
        allowed=lambda a: workflow.can_return(user, a),
        done=lambda a: returned_by(a, user) and a.return_comments == comments,
        state=State.RETURNED,
        moderated_by=user,
        moderated_at=timezone.now(),
        return_comments=comments,
    )


def agree(assessment: Assessment, user) -> Assessment:
    return _transition(
        assessment,
        user,
        allowed=lambda a: workflow.can_agree(user, a, entered_by_ids(a)),
        done=lambda a: agreed_by(a, user),
        state=State.AGREED,
        moderated_by=user,
        moderated_at=timezone.now(),
        return_comments="",
    )
