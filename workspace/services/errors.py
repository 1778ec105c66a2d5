"""The workspace's refusals: ``StaleAssessment`` when someone else saved an assessment
after the form was loaded (it carries their version, to show beside yours), and
``WorkflowError`` for a step the data does not allow, with the message staff see."""

from __future__ import annotations

from ..models import Assessment


class StaleAssessment(Exception):
    """Someone else saved the assessment after this form was loaded."""

    def __init__(self, current: Assessment):
        self.current = current
        super().__init__(
            f"{current.council.name} was changed by someone else while you were editing."
        )


class WorkflowError(ValueError):
    """A step the data does not allow (e.g. scheduling a round with councils not agreed)."""
