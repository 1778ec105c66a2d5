"""Rating revisions as the public sees them: a round's current ratings with their
judgements (the ORM form of the league table), a council's history, the current revision
of each council in each published round. Every query starts from the embargo gate's
predicates (``ratings.embargo``)."""

from __future__ import annotations

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

from .. import embargo, provenance, rules
from ..models import AssessmentRound, Council, Rating, ServiceJudgement
from . import council_voice

UNKNOWN = object()


def current_ratings(now=None) -> QuerySet[Rating]:
    """The latest visible revision of each council's rating in each published round."""
    visible = embargo.published_ratings(now)
    later = visible.filter(
        round=OuterRef("round"), council=OuterRef("council"), revision__gt=OuterRef("revision")
    )
    return visible.filter(~Exists(later))


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


def round_ratings(round: AssessmentRound, now=None, *, previous=UNKNOWN) -> QuerySet[Rating]:
    """One row per council for a published round's league table: the current revision,
    annotated with the four judgements (and their ranks, for sorting), the previous round's
    stars and special-measures state, and the change since then.

    A fixed number of queries whatever the number of councils: everything is annotated in
    SQL, so sorting and filtering happen in the database. A caller that has already looked
    up the previous published round passes it as ``previous``. The annotations cost
    nothing until used: ``count()`` leaves out those no filter needs, and ``values()``
    those not asked for.
    """
    now = embargo.now(now)
    if previous is UNKNOWN:
        previous = embargo.previous_published_round(round, now)
    # The previous round came from the gate (it is published): its current revision is
    # the highest-numbered one whose own time has come.
    previous_current = Rating.objects.filter(
        embargo.public_revisions_q(now), round=previous, council=OuterRef("council")
    ).order_by("-revision")
    later = Rating.objects.filter(
        embargo.public_revisions_q(now),
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
        Rating.objects.filter(embargo.public_revisions_q(now), ~Exists(later), round=round)
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
        embargo.published_ratings(now)
        .filter(council=council)
        .select_related("round")
        .prefetch_related("judgements")
        .order_by("round__year", "revision")
    )


def council_count() -> int:
    return Council.objects.count()


def council_ratings_with_judgements(council: Council, now=None) -> QuerySet[Rating]:
    """Every visible revision of a council's ratings, oldest first, each annotated with
    its four judgements (``adults_serving``...) and what the council said of its round
    (``response_id``, ``representation_open``: :mod:`.council_voice`); one query, no
    prefetch."""
    return (
        council_ratings(council, now)
        .prefetch_related(None)
        .annotate(
            **{
                f"{service}_{field}": Subquery(
                    ServiceJudgement.objects.filter(rating=OuterRef("pk"), service=service)
                    .order_by()
                    .values(field)[:1]
                )
                for service in rules.SERVICES
                for field in ("serving", "prospects")
            },
            **council_voice.annotations(now),
        )
    )


def star_histories(council_ids, now=None) -> dict[int, dict[int, int | None]]:
    """Each council's stars in each published round (its current revision): council id
    -> {year: stars}, in one query."""
    histories: dict[int, dict[int, int | None]] = {pk: {} for pk in council_ids}
    for council_id, year, stars in (
        current_ratings(now)
        .filter(council_id__in=list(council_ids))
        .order_by("round__year")
        .values_list("council_id", "round__year", "stars")
    ):
        histories[council_id][year] = stars
    return histories


def star_sources(council_ids, now=None) -> dict[tuple[int, int], object]:
    """Where each council's stars in each published round (its current revision) come
    from: (council id, year) -> ``ratings.provenance.Provenance`` (three queries)."""
    current = list(
        current_ratings(now)
        .filter(council_id__in=list(council_ids))
        .select_related("round")
        .prefetch_related("judgements")
    )
    found = provenance.provenance_for(current, now, includes_latest=True)
    return {(r.council_id, r.round.year): found[r.pk].stars for r in current}
