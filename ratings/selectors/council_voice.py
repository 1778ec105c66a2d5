"""What councils said about their published ratings, and who saw a round before it was
published, as the public may see them at ``now`` (``?as_at=`` included)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, Subquery

from .. import embargo
from ..models import Council, CouncilResponse, PreReleaseAccess, Representation


def council_responses(council: Council, now=None) -> list[CouncilResponse]:
    """The council's published responses, one per round at most, newest round first."""
    return list(
        CouncilResponse.objects.filter(embargo.public_responses_q(now), council=council)
        .select_related("round")
        .order_by("-round__year")
    )


def _being_considered(now) -> Q:
    """Representations being considered at ``now``: made by then and not decided by then."""
    return Q(submitted_at__lte=now) & (Q(state=Representation.State.OPEN) | Q(decided_at__gt=now))


def representation_years(council: Council, now=None) -> set[int]:
    """The years of the council's published ratings about which a representation was being
    considered at ``now``: made by then, and not decided by then."""
    now = embargo.now(now)
    return set(
        Representation.objects.filter(
            embargo.public_rounds_q(now, prefix="round__"), _being_considered(now), council=council
        ).values_list("round__year", flat=True)
    )


def pre_release_access(round, now=None) -> list[PreReleaseAccess]:
    """Who saw the round's ratings before publication: empty unless the round is public."""
    if not embargo.round_is_public(round, embargo.now(now)):
        return []
    return list(
        PreReleaseAccess.objects.filter(round=round)
        .select_related("council")
        .order_by("council__name", "first_access_at")
    )


def annotations(now=None) -> dict:
    """For a queryset of ratings: ``representation_open`` (a representation about the
    council's rating in that round is being considered at ``now``: made by then and not
    decided by then) and ``response_id`` (its published response in that round, if any)."""
    now = embargo.now(now)
    return {
        "representation_open": Exists(
            Representation.objects.filter(
                _being_considered(now), council=OuterRef("council_id"), round=OuterRef("round_id")
            )
        ),
        "response_id": Subquery(
            CouncilResponse.objects.filter(
                embargo.public_responses_q(now),
                council=OuterRef("council_id"),
                round=OuterRef("round_id"),
            ).values("pk")[:1]
        ),
    }


def response_of(rating) -> CouncilResponse | None:
    """The published response of a rating annotated by :func:`annotations`."""
    found = getattr(rating, "response_id", None)
    return CouncilResponse.objects.get(pk=found) if found else None
