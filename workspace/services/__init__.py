"""The workspace's writes: saving judgements, moderation, rounds, publication, corrections.

Each function checks nothing about *who* is asking (``workspace.workflow`` does, in the
views) but everything about the data: the version a form was built from, the caps, that
every council is agreed before a round is scheduled. Ratings themselves are written by
``ratings.services``, the only code that stores stars.

The modules: ``reading`` (the round being worked on, a council's assessment, the
dashboard's rows), ``assessments`` (saving judgements and evidence, the what-if),
``moderation`` (submit, return, agree), ``publication`` (a round's status, scheduling it,
corrections), ``indicator_values`` and ``errors``. This package exports what callers use.
"""

from .assessments import JUDGEMENT_FIELDS, cap_messages, save_assessment, what_if
from .council_voice import is_rated_in
from .errors import StaleAssessment, WorkflowError
from .indicator_values import save_indicator_values
from .moderation import agree, agreed_by, return_to_inspector, returned_by, submit, submitted_by
from .publication import (
    PAST_TIME,
    PublicationPreview,
    correction_published_by,
    publication_preview,
    publish_correction,
    reopen,
    schedule_round,
    set_round_status,
)
from .reading import (
    CouncilProgress,
    RoundProgress,
    State,
    assessment_for,
    entered_by_ids,
    evidence_for,
    inspector_id,
    not_agreed_count,
    round_progress,
    working_round,
)

__all__ = [
    "PAST_TIME",
    "PublicationPreview",
    "publication_preview",
    "JUDGEMENT_FIELDS",
    "CouncilProgress",
    "RoundProgress",
    "StaleAssessment",
    "State",
    "WorkflowError",
    "agree",
    "agreed_by",
    "assessment_for",
    "cap_messages",
    "correction_published_by",
    "entered_by_ids",
    "evidence_for",
    "inspector_id",
    "is_rated_in",
    "not_agreed_count",
    "publish_correction",
    "reopen",
    "return_to_inspector",
    "returned_by",
    "round_progress",
    "save_assessment",
    "save_indicator_values",
    "schedule_round",
    "set_round_status",
    "submit",
    "submitted_by",
    "what_if",
    "working_round",
]
