"""The audit trail of a council's assessment, read from django-simple-history.

Every save of a judgement, evidence, indicator value, rating, assignment or round state
writes a history row naming the user (HistoryRequestMiddleware, or ``_history_user`` in
the services). This turns those rows into one timeline: who, when, what changed from
what to what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ratings.models import AssessmentRound, IndicatorValue, Rating
from reports.models import BuildJob

from .models import Assessment, Assignment, DomainEvidence

# Bookkeeping that says nothing to a reader of the trail.
IGNORED = {"id", "version", "updated_at", "created_at", "reasons"}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Event:
    when: dt.datetime
    who: str
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)


def _show(model, name: str, value) -> str:
    if value in (None, ""):
        return "(empty)"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or "(empty)"
    return str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _fields(model) -> list[str]:
    names = []
    for f in model._meta.concrete_fields:
        if f.name in IGNORED or f.name in {"round", "council"}:
            continue
        names.append(f.attname if f.is_relation else f.name)
    return names


def _events(records, model, subject) -> list[Event]:
    """Events from one model's history rows, diffing each row against the one before it
    for the same object."""
    names = _fields(model)
    previous: dict[int, object] = {}
    events = []
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        changes = []
        for name in names:
            old = getattr(before, name, None) if before is not None else None
            new = getattr(record, name, None)
            if before is None and new in (None, "", False, {}):
                continue
            if before is not None and old == new:
                continue
            field_name = name[:-3] if name.endswith("_id") else name
            changes.append(
                Change(
                    _label(model, field_name),
                    _show_value(model, field_name, old, before),
                    _show_value(model, field_name, new, record),
                )
            )
        previous[record.id] = record
        if before is not None and not changes and record.history_type == "~":
            continue
        action = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        who = record.history_user.get_username() if record.history_user else "the system"
        events.append(Event(record.history_date, who, subject(record), action, changes))
    return events


def _show_value(model, name, value, record) -> str:
    if record is None:
        return "(empty)"
    model_field = model._meta.get_field(name)
    if model_field.is_relation:
        related = getattr(record, name, None)
        if related is None:
            return "(empty)"
        return related.get_username() if hasattr(related, "get_username") else str(related)
    return _show(model, name, value)


def timeline(round: AssessmentRound, council) -> list[Event]:
    """Everything recorded about the council's assessment in the round, newest first."""
    scope = {"round_id": round.pk, "council_id": council.pk}
    events = [
        *_events(
            Assessment.history.filter(**scope).select_related("history_user"),
            Assessment,
            lambda r: "Judgements and moderation",
        ),
        *_events(
            DomainEvidence.history.filter(**scope).select_related("history_user", "domain"),
            DomainEvidence,
            lambda r: f"Evidence: {r.domain.name}",
        ),
        *_events(
            IndicatorValue.history.filter(**scope).select_related("history_user", "indicator"),
            IndicatorValue,
            lambda r: f"Indicator {r.indicator.code}",
        ),
        *_events(
            Rating.history.filter(**scope).select_related("history_user"),
            Rating,
            lambda r: f"Rating, revision {r.revision}",
        ),
        *_events(
            Assignment.history.filter(**scope).select_related("history_user", "inspector"),
            Assignment,
            lambda r: "Assignment",
        ),
        *_events(
            AssessmentRound.history.filter(id=round.pk).select_related("history_user"),
            AssessmentRound,
            lambda r: f"The {round.year} round",
        ),
    ]
    return sorted(events, key=lambda e: e.when, reverse=True)


def rebuilds(round: AssessmentRound) -> list[Event]:
    """Who started which of the round's report builds again, and when, newest first. The
    workers' progress keeps no history, so a rebuild's row says itself what it found
    (its change reason: the state before) and the error the last attempt left."""
    kinds = dict(BuildJob._meta.get_field("kind").flatchoices)
    states = dict(BuildJob.State.choices)
    records = BuildJob.history.filter(
        round_id=round.pk, history_type="~", history_user__isnull=False
    ).select_related("history_user", "council")
    events = []
    for record in records:
        what = record.council.name if record.council_id else kinds.get(record.kind, record.kind)
        before = states.get(record.history_change_reason or "", "(unknown)")
        changes = [Change("State", before, states[BuildJob.State.QUEUED])]
        if record.last_error:
            changes.append(Change("Last error", record.last_error, "(kept until it builds)"))
        events.append(
            Event(
                record.history_date,
                record.history_user.get_username(),
                f"Report build: {what}",
                "Rebuilt",
                changes,
            )
        )
    return sorted(events, key=lambda e: e.when, reverse=True)


def last_editor(assessment: Assessment) -> str:
    record = Assessment.history.filter(id=assessment.pk).select_related("history_user").first()
    if record is None or record.history_user is None:
        return "someone else"
    user = record.history_user
    return user.get_full_name() or user.get_username()
