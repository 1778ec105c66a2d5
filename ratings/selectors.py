"""Reads for everything public. The embargo lives here: public pages, exports, the API,
reports and the sitemap get rounds and ratings only through these functions."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AssessmentRound, Council, Rating


def published_rounds(now=None) -> QuerySet[AssessmentRound]:
    """Rounds whose publication time has passed, oldest first."""
    now = now or timezone.now()
    return AssessmentRound.objects.filter(
        status=AssessmentRound.Status.SCHEDULED, publication_at__lte=now
    )


def published_ratings(now=None) -> QuerySet[Rating]:
    """Every rating revision the public may see: its round is published and, for later
    revisions, its own publication time has passed."""
    now = now or timezone.now()
    return Rating.objects.filter(
        round__in=published_rounds(now),
    ).filter(Q(published_at__isnull=True) | Q(published_at__lte=now))


def council_count() -> int:
    return Council.objects.count()
