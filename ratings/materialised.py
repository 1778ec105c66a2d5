"""Figures worked out once per publication, not once per request.

The national summary of a round (what the home page, the summary page, the API's summary
and the national report all show) depends only on which publications have passed and on
the data: it is the same for every request between two publication moments. It is kept
in the cache (shared by every process when ``REDIS_URL`` is set) under the publication
watermark and the data generation, as the pages are (``ratings.page_cache``), so that:

- it is worked out once per publication, by the first request or, ahead of the lift, by
  the worker (``ratings.prerender``), which works it out for the publication moment;
- it cannot outlive the data (any change makes a new generation) nor be reached before
  its moment (the watermark is part of the key and moves only when the moment passes).
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from . import embargo, page_cache, summary
from .models import AssessmentRound


def _key(round: AssessmentRound, watermark, generation) -> str:
    as_at = embargo.as_at_moment()  # the summary says which day it was asked "as at"
    parts = [str(round.pk), str(watermark), str(as_at), str(generation), settings.RELEASE]
    return "ratings:summary:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def national_summary(round: AssessmentRound, now=None, *, rounds=None) -> summary.NationalSummary:
    """``ratings.summary.national_summary``, worked out once per publication."""
    moment = embargo.now(now)
    watermark = embargo.watermark(moment)
    figures, _ = page_cache.single_flight(
        _key(round, watermark, page_cache.data_generation()),
        lambda: summary.national_summary(round, moment, rounds=rounds),
        page_cache.keep_for(watermark),
    )
    return figures
