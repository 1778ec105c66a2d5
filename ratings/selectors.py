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


def _judgement(service: str, field: str) -> Subquery:
    return Subquery(
        # order_by(): the model's default ordering would join the rating, round and council.
        ServiceJudgement.objects.filter(rating=OuterRef("pk"), service=service)
        .order_by()
        .values(field)[:1]
    )


def _rank(field: str, levels: tuple[str, ...]) -> Case:
    """Sort judgements by their order on the scale, not alphabetically."""
    return Case(
        *[When(**{field: level}, then=Value(index)) for index, level in enumerate(levels)],
        output_field=IntegerField(),
    )


_UNKNOWN = object()


def round_ratings(round: AssessmentRound, now=None, *, previous=_UNKNOWN) -> QuerySet[Rating]:
    """One row per council for a published round's league table: the current revision,
    annotated with the four judgements (and their ranks, for sorting), the previous round's
    stars and special-measures state, and the change since then.

    A fixed number of queries whatever the number of councils: everything is annotated in
    SQL, so sorting and filtering happen in the database. A caller that has already looked
    up the previous published round passes it as ``previous``.
    """
    if previous is _UNKNOWN:
        previous = previous_published_round(round, now)
    # The previous round is published (it came from published_rounds), so its latest
    # visible revision is simply the highest-numbered one whose time has come.
    previous_current = (
        Rating.objects.filter(round=previous, council=OuterRef("council"))
        .filter(Q(published_at__isnull=True) | Q(published_at__lte=_now(now)))
        .order_by("-revision")
    )
    ratings = (
        current_ratings(now)
        .filter(round=round)
        .select_related("council", "council__region", "round")
        .annotate(
            **{
                f"{service}_{field}": _judgement(service, field)
                for service in rules.SERVICES
                for field in ("serving", "prospects")
            },
            previous_stars=Subquery(previous_current.values("stars")[:1]),
            previous_on_special_measures=Subquery(
                previous_current.values("on_special_measures")[:1]
            ),
        )
        .annotate(
            **{
                f"{service}_serving_rank": _rank(f"{service}_serving", rules.SERVING_LEVELS)
                for service in rules.SERVICES
            },
            **{
                f"{service}_prospects_rank": _rank(f"{service}_prospects", rules.PROSPECT_LEVELS)
                for service in rules.SERVICES
            },
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
    return ratings


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
