"""Deciding a rating without writing it: the ``Proposal`` the rules give for a council's
judgements (stars, reasons, special measures; refused above a key-indicator cap), and the
``Change`` that saving it would make to the council's latest revision (a new rating, a new
revision, an update in place, or nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone

from .. import embargo, rules
from ..models import AssessmentRound, Council, Rating, RatingStatus
from .caps import CapExceeded, cap_breaches
from .scheduled import ScheduledChange, pending_revision_message


@dataclass(frozen=True)
class Proposal:
    """What a rating revision should say: the judgements and what the rules give for them."""

    judgements: rules.Judgements | None  # None: not rated
    stars: int | None
    reasons: tuple[str, ...]
    on_special_measures: bool

    @property
    def status(self) -> str:
        return RatingStatus.NOT_RATED if self.judgements is None else RatingStatus.RATED

    def differs_from(self, rating: Rating | None, *, compare_reasons: bool = False) -> bool:
        """True unless ``rating`` says the same (judgements, status, stars, special
        measures, and with ``compare_reasons`` the reasons)."""
        if rating is None:
            return True
        return (
            rating.status != self.status
            or rating.stars != self.stars
            or rating.on_special_measures != self.on_special_measures
            or rating.rules_judgements() != self.judgements
            or (compare_reasons and list(rating.reasons or []) != list(self.reasons))
        )


def propose(
    round: AssessmentRound,
    judgements: rules.Judgements | None,
    *,
    caps: Iterable[rules.KeyIndicatorCap] = (),
    on_special_measures: bool | None = None,
    was_on: bool = False,
    published_outcome: tuple[int, str] | None = None,
) -> Proposal:
    """The revision the rules give for ``judgements`` in ``round``.

    ``judgements`` None means not rated. Special measures follow from the stars and
    ``was_on`` (``rules.on_special_measures_after``) unless ``on_special_measures`` says.
    A judgement above a cap is refused with :class:`CapExceeded`. ``published_outcome``
    (stars, note): the published stars where the table gives others
    (``rules.published_outcome``; RulesError if the table gives the same).
    """
    caps = list(caps)
    if judgements is None:
        stars, reasons = None, ()
    else:
        breaches = cap_breaches(judgements, caps)
        if breaches:
            raise CapExceeded(breaches)
        if published_outcome is None:
            rating = rules.rate(judgements, methodology=round.methodology_version, caps=caps)
        else:
            rating = rules.published_outcome(
                judgements,
                stars=published_outcome[0],
                note=published_outcome[1],
                methodology=round.methodology_version,
                caps=caps,
            )
        stars, reasons = rating.stars, tuple(rating.reasons)
    if on_special_measures is None:
        on_special_measures = rules.on_special_measures_after(was_on=was_on, stars=stars)
    return Proposal(
        judgements=judgements,
        stars=stars,
        reasons=reasons,
        on_special_measures=on_special_measures,
    )


class Action(StrEnum):
    CREATED = "created"
    REVISED = "revised"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Change:
    """What saving a proposal does to a council's rating in a round."""

    council: Council
    proposal: Proposal
    current: Rating | None  # the council's latest revision before the change
    action: Action
    revision: int  # the revision written (or, if unchanged, kept)
    in_place: bool  # True: ``current`` is updated rather than a new revision added
    round_published: bool = False  # whether the round was public when this was planned

    def describe(self) -> str:
        def stars(stars: int | None) -> str:
            if stars is None:
                return "not rated"
            return f"{stars} star" if stars == 1 else f"{stars} stars"

        if self.action == Action.CREATED:
            return f"{self.council.name}: {stars(self.proposal.stars)} (new rating)"
        if self.action == Action.UNCHANGED:
            return f"{self.council.name}: unchanged"
        how = (
            f"revision {self.revision} updated"
            if self.in_place
            else f"new revision {self.revision}"
        )
        was = stars(self.current.stars) if self.current else "nothing"
        return f"{self.council.name}: {was} -> {stars(self.proposal.stars)} ({how})"


def plan_change(
    round: AssessmentRound,
    council: Council,
    proposal: Proposal,
    current: Rating | None,
    *,
    published: bool,
    now: dt.datetime | None = None,
) -> Change:
    """How ``proposal`` would be saved, given the council's latest revision ``current``.

    Before the round is published, revision 1 is updated in place. Once it is published,
    a difference in judgements, status, stars or special measures adds a new revision. A
    later revision still waiting for its own publication time is not touched: a difference
    from it raises :class:`~ratings.services.scheduled.ScheduledChange` naming it.
    """
    now = now or timezone.now()

    def change(action: Action, revision: int, in_place: bool) -> Change:
        return Change(council, proposal, current, action, revision, in_place, published)

    if current is None:
        return change(Action.CREATED, 1, in_place=False)
    if not published:
        if proposal.differs_from(current, compare_reasons=True):
            return change(Action.REVISED, current.revision, in_place=True)
        return change(Action.UNCHANGED, current.revision, in_place=False)
    if not proposal.differs_from(current):
        return change(Action.UNCHANGED, current.revision, in_place=False)
    if current.revision > 1 and embargo.revision_is_pending(current, now):
        raise ScheduledChange(pending_revision_message(current))
    return change(Action.REVISED, current.revision + 1, in_place=False)
