"""Writes to ratings, and the reads they rest on.

Everything that stores a rating comes through here (imports, the admin's actions and the
inspectors' forms), so that every stored star count is the one ``rules.rate`` gave for
the stored judgements, with the key-indicator caps that apply, and so that a published
revision is never changed in place.

The functions work on whole rounds where they can (``caps_for_round``,
``latest_ratings``, ``special_measures_before``): one or two queries for 150 councils.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from . import embargo, rules, signals
from .models import (
    AssessmentRound,
    Council,
    IndicatorValue,
    KeyIndicatorCap,
    Polarity,
    Rating,
    RatingStatus,
    RoundStatus,
    ServiceJudgement,
)

YEAR_RANGE = (2000, 2100)


class RoundError(ValueError):
    """A round that cannot be found or made as asked (unknown methodology, bad year)."""


class CapExceeded(ValueError):
    """Judgements above the cap that a failed key indicator sets."""

    def __init__(self, breaches: Sequence[tuple[rules.KeyIndicatorCap, str]]):
        self.breaches = list(breaches)
        super().__init__("; ".join(cap_breach_message(cap, value) for cap, value in breaches))


# --- rounds --------------------------------------------------------------------------------


def round_title(year: int) -> str:
    return f"Social services star ratings {year}"


def default_methodology(year: int) -> str:
    """The methodology version named after the year, or RoundError listing the versions."""
    versions = rules.methodology_versions()
    if str(year) in versions:
        return str(year)
    raise RoundError(
        f"there is no {year} methodology; name one with --methodology: {', '.join(versions)}"
    )


def round_for_year(year: int, *, methodology: str | None = None) -> tuple[AssessmentRound, bool]:
    """The round of ``year`` and False, or a new, unsaved draft round and True.

    A new round uses ``methodology``, or by default the version named after the year. For
    an existing round, ``methodology`` must be the round's own or None.
    """
    if not YEAR_RANGE[0] <= int(year) <= YEAR_RANGE[1]:
        raise RoundError(f"year {year} is out of range ({YEAR_RANGE[0]}-{YEAR_RANGE[1]})")
    versions = rules.methodology_versions()
    if methodology is not None and methodology not in versions:
        raise RoundError(
            f"methodology {methodology!r} is not known; use one of {', '.join(versions)}"
        )
    existing = AssessmentRound.objects.filter(year=year).first()
    if existing is not None:
        if methodology is not None and methodology != existing.methodology_version:
            raise RoundError(
                f"the {year} round uses the {existing.methodology_version} methodology, "
                f"not {methodology}"
            )
        return existing, False
    return (
        AssessmentRound(
            year=year,
            title=round_title(year),
            methodology_version=methodology or default_methodology(year),
            status=RoundStatus.DRAFT,
        ),
        True,
    )


def schedule_round(
    round: AssessmentRound, publication_at: dt.datetime, *, now: dt.datetime | None = None
) -> bool:
    """Set the round to be published at ``publication_at`` (unsaved); True if that changed
    anything. A round that is already published keeps its publication time (RoundError)."""
    if round.is_published(now):
        raise RoundError(f"the {round.year} round is already published")
    changed = round.status != RoundStatus.SCHEDULED or round.publication_at != publication_at
    round.status = RoundStatus.SCHEDULED
    round.publication_at = publication_at
    return changed


# --- caps ----------------------------------------------------------------------------------


def _ids(councils: Iterable[Council | int] | None) -> list[int] | None:
    if councils is None:
        return None
    return [c if isinstance(c, int) else c.pk for c in councils]


def caps_for_round(
    round: AssessmentRound, councils: Iterable[Council | int] | None = None
) -> dict[int, list[rules.KeyIndicatorCap]]:
    """The key-indicator caps that apply to each council in a round, by council id.

    A cap applies when the round's methodology version has a ``KeyIndicatorCap`` for an
    indicator and the council's value for it in the round fails (``rules.key_indicator_cap``).
    Councils with no cap are left out: use ``.get(council.pk, [])``. Two queries however
    many councils.
    """
    if round.pk is None:
        return {}
    key_caps = {
        cap.indicator_id: cap
        for cap in KeyIndicatorCap.objects.filter(
            methodology_version=round.methodology_version
        ).select_related("indicator")
    }
    if not key_caps:
        return {}
    values = IndicatorValue.objects.filter(round=round, indicator_id__in=key_caps).only(
        "council_id", "indicator_id", "value", "exempt"
    )
    ids = _ids(councils)
    if ids is not None:
        values = values.filter(council_id__in=ids)
    result: dict[int, list[rules.KeyIndicatorCap]] = {}
    for value in values:
        key_cap = key_caps[value.indicator_id]
        cap = rules.key_indicator_cap(
            indicator_code=key_cap.indicator.code,
            service=key_cap.service,
            maximum=key_cap.maximum,
            threshold=float(key_cap.threshold),
            higher_is_better=key_cap.indicator.polarity != Polarity.LOWER_IS_BETTER,
            value=None if value.value is None else float(value.value),
            exempt=value.exempt,
        )
        if cap is not None:
            result.setdefault(value.council_id, []).append(cap)
    for caps in result.values():
        caps.sort(key=lambda c: (rules.SERVICES.index(c.service), c.indicator_code))
    return result


def caps_for(round: AssessmentRound, council: Council | int) -> list[rules.KeyIndicatorCap]:
    """The key-indicator caps that apply to one council in a round."""
    pk = council if isinstance(council, int) else council.pk
    return caps_for_round(round, [pk]).get(pk, [])


def cap_breaches(
    judgements: rules.Judgements, caps: Iterable[rules.KeyIndicatorCap]
) -> list[tuple[rules.KeyIndicatorCap, str]]:
    """Each cap the judgements are above, with the judgement it is above of."""
    breaches = []
    for cap in caps:
        current = judgements.serving(cap.service)
        if rules.SERVING_LEVELS.index(current) > rules.SERVING_LEVELS.index(cap.maximum):
            breaches.append((cap, current))
    return breaches


def cap_breach_message(cap: rules.KeyIndicatorCap, value: str) -> str:
    return (
        f"{value!r} is above the cap {cap.maximum!r} set by key indicator "
        f"{cap.indicator_code} ({cap.failing_because})"
    )


# --- what is stored ------------------------------------------------------------------------


def latest_ratings(
    round: AssessmentRound, councils: Iterable[Council | int] | None = None
) -> dict[int, Rating]:
    """Each council's latest revision in the round (embargoed or not), by council id, with
    its judgements prefetched."""
    if round.pk is None:
        return {}
    ratings = (
        Rating.objects.filter(round=round)
        .select_related("council")
        .prefetch_related(Prefetch("judgements", queryset=ServiceJudgement.objects.all()))
        .order_by("council_id", "revision")
    )
    ids = _ids(councils)
    if ids is not None:
        ratings = ratings.filter(council_id__in=ids)
    # Only the latest revisions are needed, but all of them are few (one or two a council).
    return {rating.council_id: rating for rating in ratings}


def special_measures_before(
    round: AssessmentRound, councils: Iterable[Council | int] | None = None
) -> dict[int, bool]:
    """Whether each council was on special measures after its latest rating in an earlier
    round, by council id. Councils never rated before are left out (not on them)."""
    rows = (
        Rating.objects.filter(round__year__lt=round.year)
        .order_by("round__year", "revision")
        .values_list("council_id", "on_special_measures")
    )
    ids = _ids(councils)
    if ids is not None:
        rows = rows.filter(council_id__in=ids)
    return dict(rows)


# --- deciding a rating ---------------------------------------------------------------------


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
) -> Proposal:
    """The revision the rules give for ``judgements`` in ``round``.

    ``judgements`` None means not rated. Special measures follow from the stars and
    ``was_on`` (``rules.on_special_measures_after``) unless ``on_special_measures`` says.
    A judgement above a cap is refused with :class:`CapExceeded`.
    """
    caps = list(caps)
    if judgements is None:
        stars, reasons = None, ()
    else:
        breaches = cap_breaches(judgements, caps)
        if breaches:
            raise CapExceeded(breaches)
        rating = rules.rate(judgements, methodology=round.methodology_version, caps=caps)
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
    a difference in judgements, status, stars or special measures adds a new revision; a
    later revision still under embargo (its own publication time not yet come) is updated
    in place instead, since nobody has seen it.
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
        return change(Action.REVISED, current.revision, in_place=True)
    return change(Action.REVISED, current.revision + 1, in_place=False)


def default_revision_note(published_at: dt.datetime) -> str:
    """e.g. "Revised 21 November 2002"."""
    day = timezone.localtime(published_at) if timezone.is_aware(published_at) else published_at
    return f"Revised {day.day} {day:%B %Y}"


def _judgement_rows(rating: Rating, judgements: rules.Judgements | None) -> list[ServiceJudgement]:
    if judgements is None:
        return []
    return [
        ServiceJudgement(
            rating=rating,
            service=service,
            serving=judgements.serving(service),
            prospects=judgements.prospects(service),
        )
        for service in rules.SERVICES
    ]


@transaction.atomic
def apply_changes(
    round: AssessmentRound,
    changes: Iterable[Change],
    *,
    published_at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
    evidence: dict[int, dict] | None = None,
    user=None,
) -> list[Rating]:
    """Write planned changes in a few queries; return the revisions written.

    New revisions of a published round (and ratings added to it late) get
    ``published_at`` (default now) and ``note`` (default "Revised <date>"). ``evidence``
    (by council id) is the published copy of the inspectors' evidence. Every revision
    written gets a history row naming ``user``.
    """
    now = now or timezone.now()
    when = published_at or now
    new: list[tuple[Rating, rules.Judgements | None]] = []
    updated: list[tuple[Rating, rules.Judgements | None]] = []
    for change in changes:
        proposal = change.proposal
        if change.action == Action.UNCHANGED:
            continue
        if change.in_place:
            rating = change.current
            if published_at is not None and rating.revision > 1:
                rating.published_at = published_at
            if note and rating.revision > 1:
                rating.note = note
            updated.append((rating, proposal.judgements))
        else:
            rating = Rating(round=round, council=change.council, revision=change.revision)
            if change.revision > 1:
                rating.published_at = when
                rating.note = note or default_revision_note(when)
            elif change.round_published:
                # Added to a round already public: it waits for its own publication time.
                rating.published_at = when
                rating.note = note
            new.append((rating, proposal.judgements))
        rating.status = proposal.status
        rating.stars = proposal.stars
        rating.reasons = list(proposal.reasons)
        rating.on_special_measures = proposal.on_special_measures
        if evidence is not None and change.council.pk in evidence:
            rating.evidence = evidence[change.council.pk]

    if updated:
        Rating.objects.bulk_update(
            [rating for rating, _ in updated],
            [
                "status",
                "stars",
                "reasons",
                "on_special_measures",
                "published_at",
                "note",
                "evidence",
            ],
        )
        ServiceJudgement.objects.filter(rating__in=[rating for rating, _ in updated]).delete()
        Rating.history.bulk_history_create(
            [rating for rating, _ in updated], update=True, default_user=user
        )
    if new:
        Rating.objects.bulk_create([rating for rating, _ in new])
        Rating.history.bulk_history_create([rating for rating, _ in new], default_user=user)
    ServiceJudgement.objects.bulk_create(
        [row for rating, judgements in updated + new for row in _judgement_rows(rating, judgements)]
    )
    if updated or new:
        signals.announce_data_changed()
    return [rating for rating, _ in updated + new]


@transaction.atomic
def record_rating(
    *,
    round: AssessmentRound,
    council: Council,
    judgements: rules.Judgements | None,
    on_special_measures: bool | None = None,
    published_at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> tuple[Rating, Action]:
    """Store one council's rating in a round, as the rules give it.

    Judgements None records "not rated". Raises :class:`CapExceeded` for a judgement
    above a key-indicator cap. Returns the latest revision afterwards and what was done.
    """
    now = now or timezone.now()
    round = AssessmentRound.objects.select_for_update().get(pk=round.pk)
    proposal = propose(
        round,
        judgements,
        caps=caps_for(round, council),
        on_special_measures=on_special_measures,
        was_on=special_measures_before(round, [council]).get(council.pk, False),
    )
    current = latest_ratings(round, [council]).get(council.pk)
    change = plan_change(
        round, council, proposal, current, published=round.is_published(now), now=now
    )
    written = apply_changes(round, [change], published_at=published_at, note=note, now=now)
    return (written[0] if written else current), change.action
