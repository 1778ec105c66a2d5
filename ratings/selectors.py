"""Reads for everything public. The embargo lives here and only here.

Public pages, exports, the API, reports and the sitemap get rounds and ratings through
these functions, never from the models directly: a round is visible once it is scheduled
and its publication time has passed, and a later revision (a refresh or correction) once
its own publication time has passed too. ``now`` is a parameter so that tests can move the
clock; it defaults to the current time.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from . import rules
from .models import AssessmentRound, Council, Rating, RoundStatus, ServiceJudgement


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def published_rounds(now=None) -> QuerySet[AssessmentRound]:
    """Rounds whose publication time has passed, oldest first."""
    return AssessmentRound.objects.filter(
        status=RoundStatus.SCHEDULED, publication_at__lte=_now(now)
    ).order_by("year")


def published_round(year: int, now=None) -> AssessmentRound | None:
    """The round of ``year`` if it is published, else None (callers answer 404)."""
    return published_rounds(now).filter(year=year).first()


def latest_published_round(now=None) -> AssessmentRound | None:
    return published_rounds(now).last()


def previous_published_round(round: AssessmentRound, now=None) -> AssessmentRound | None:
    return published_rounds(now).filter(year__lt=round.year).last()


def published_ratings(now=None) -> QuerySet[Rating]:
    """Every rating revision the public may see: its round is published and, for later
    revisions, its own publication time has passed."""
    now = _now(now)
    return Rating.objects.filter(round__in=published_rounds(now)).filter(
        Q(published_at__isnull=True) | Q(published_at__lte=now)
    )


def current_ratings(now=None) -> QuerySet[Rating]:
    """The latest visible revision of each council's rating in each published round."""
    visible = published_ratings(now)
    later = visible.filter(
        round=OuterRef("round"), council=OuterRef("council"), revision__gt=OuterRef("revision")
    )
    return visible.filter(~Exists(later))


def _visible(now: dt.datetime) -> Q:
    """A revision whose own publication time has come (revision 1 has none: it follows
    its round)."""
    return Q(published_at__isnull=True) | Q(published_at__lte=now)


def _judgement(service: str, field: str, levels: tuple[str, ...]) -> tuple[Subquery, Subquery]:
    """One judgement of a rating, and its rank on the scale (for sorting: by the order on
    the scale, not alphabetically). Each is one correlated subquery on the
    (rating, service) unique index: the rank is worked out inside its subquery, so that
    sorting never evaluates the judgement's subquery once per level."""
    # order_by(): the model's default ordering would join the rating, round and council.
    judgement = ServiceJudgement.objects.filter(rating=OuterRef("pk"), service=service).order_by()
    rank = Case(
        *[When(**{field: level}, then=Value(index)) for index, level in enumerate(levels)],
        output_field=IntegerField(),
    )
    return (
        Subquery(judgement.values(field)[:1]),
        Subquery(judgement.values(rank=rank)[:1], output_field=IntegerField()),
    )


_UNKNOWN = object()


def round_ratings(round: AssessmentRound, now=None, *, previous=_UNKNOWN) -> QuerySet[Rating]:
    """One row per council for a published round's league table: the current revision,
    annotated with the four judgements (and their ranks, for sorting), the previous round's
    stars and special-measures state, and the change since then.

    A fixed number of queries whatever the number of councils: everything is annotated in
    SQL, so sorting and filtering happen in the database. A caller that has already looked
    up the previous published round passes it as ``previous``.

    The round is checked in the query itself (scheduled, its publication time passed), on
    the join that fetches it, rather than through ``published_rounds()`` nested twice: the
    same gate, in a query that is quicker to build and to run. The annotations cost nothing
    until used: ``count()`` leaves out those no filter needs, and ``values()`` those not
    asked for.
    """
    now = _now(now)
    if previous is _UNKNOWN:
        previous = previous_published_round(round, now)
    # The previous round is published (it came from published_rounds), so its latest
    # visible revision is simply the highest-numbered one whose time has come.
    previous_current = Rating.objects.filter(
        _visible(now), round=previous, council=OuterRef("council")
    ).order_by("-revision")
    later = Rating.objects.filter(
        _visible(now),
        round=round,
        council=OuterRef("council"),
        revision__gt=OuterRef("revision"),
    )
    judgements = {}
    for service in rules.SERVICES:
        for field, levels in (
            ("serving", rules.SERVING_LEVELS),
            ("prospects", rules.PROSPECT_LEVELS),
        ):
            value, rank = _judgement(service, field, levels)
            judgements[f"{service}_{field}"] = value
            judgements[f"{service}_{field}_rank"] = rank
    return (
        Rating.objects.filter(
            _visible(now),
            ~Exists(later),
            round=round,
            round__status=RoundStatus.SCHEDULED,
            round__publication_at__lte=now,
        )
        .select_related("council", "council__region", "round")
        .annotate(
            **judgements,
            previous_stars=Subquery(previous_current.values("stars")[:1]),
            previous_on_special_measures=Subquery(
                previous_current.values("on_special_measures")[:1]
            ),
        )
        .annotate(
            change=Case(
                When(Q(stars__isnull=True) | Q(previous_stars__isnull=True), then=Value("")),
                When(stars__gt=F("previous_stars"), then=Value("up")),
                When(stars__lt=F("previous_stars"), then=Value("down")),
                default=Value("same"),
            ),
            change_by=Case(
                When(
                    Q(stars__isnull=False) & Q(previous_stars__isnull=False),
                    then=F("stars") - F("previous_stars"),
                ),
                default=Value(None),
                output_field=IntegerField(),
            ),
        )
        .order_by("council__name")
    )


def council_ratings(council: Council, now=None) -> QuerySet[Rating]:
    """Every visible revision of a council's ratings, oldest first, with judgements."""
    return (
        published_ratings(now)
        .filter(council=council)
        .select_related("round")
        .prefetch_related("judgements")
        .order_by("round__year", "revision")
    )


def council_count() -> int:
    return Council.objects.count()
