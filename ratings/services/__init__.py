"""Writes to ratings, and the reads they rest on.

Everything that stores a rating comes through here (imports, the admin's actions and the
inspectors' forms), so that every stored star count is the one ``rules.rate`` gave for
the stored judgements, with the key-indicator caps that apply, and so that a published
revision is never changed in place.

The functions work on whole rounds where they can (``caps_for_round``,
``latest_ratings``, ``special_measures_before``): one or two queries for 150 councils.

The modules: ``rounds`` (finding, making and scheduling a round), ``caps`` (key-indicator
caps), ``stored`` (the latest revisions and earlier special measures), ``proposals``
(what the rules give and what saving it would change), ``revisions`` (writing it) and
``scheduled`` (what is scheduled is not changed in place; rescheduling, cancelling).
This package exports what callers use.
"""

from .caps import CapExceeded, cap_breach_message, cap_breaches, caps_for, caps_for_round
from .proposals import Action, Change, Proposal, plan_change, propose
from .revisions import apply_changes, default_revision_note, record_rating
from .rounds import (
    YEAR_RANGE,
    RoundError,
    default_methodology,
    round_for_year,
    round_title,
    schedule_round,
)
from .scheduled import (
    ScheduledChange,
    cancel_revision,
    pending_revisions,
    reschedule_revision,
    round_is_scheduled_not_public,
    scheduled_round_message,
)
from .stored import latest_ratings, special_measures_before

__all__ = [
    "YEAR_RANGE",
    "Action",
    "CapExceeded",
    "Change",
    "Proposal",
    "RoundError",
    "ScheduledChange",
    "apply_changes",
    "cap_breach_message",
    "cap_breaches",
    "caps_for",
    "cancel_revision",
    "caps_for_round",
    "default_methodology",
    "default_revision_note",
    "latest_ratings",
    "plan_change",
    "pending_revisions",
    "propose",
    "record_rating",
    "reschedule_revision",
    "round_is_scheduled_not_public",
    "round_for_year",
    "round_title",
    "schedule_round",
    "scheduled_round_message",
    "special_measures_before",
]
