"""A small schedule for the release calendar's and the feeds' tests, made once per module.

At :data:`NOW` (1 November 2006): the 2005 round is public, with a correction to Leeds
published in January 2006; a correction to Walsall's 2005 rating is scheduled for
:data:`CORRECTION_AT` and the 2006 round for :data:`ROUND_AT`, each with a secret in what
it will publish (the round's title, the correction's note) that no public answer may show
before its time.
"""

import datetime as dt

from .factories import AssessmentRoundFactory, CouncilFactory, RatingFactory
from .transactions import settle

NOW = dt.datetime(2006, 11, 1, 12, 0, tzinfo=dt.UTC)
PUBLISHED_2005 = dt.datetime(2005, 11, 29, 9, 30, tzinfo=dt.UTC)
PAST_CORRECTION_AT = dt.datetime(2006, 1, 10, 9, 30, tzinfo=dt.UTC)
CORRECTION_AT = dt.datetime(2006, 11, 2, 10, 0, tzinfo=dt.UTC)
ROUND_AT = dt.datetime(2006, 11, 14, 9, 30, tzinfo=dt.UTC)  # GMT: 9:30am in the UK
SECRET_TITLE = "Secret title of the 2006 round"
SECRET_NOTE = "Secret note of the Walsall correction"
PAST_NOTE = "Leeds's adults' judgement corrected"
ALL_WELL = {
    "adults_serving": "yes",
    "adults_prospects": "excellent",
    "children_serving": "yes",
    "children_prospects": "excellent",
}


def make() -> dict:
    leeds = CouncilFactory(name="Leeds", slug="leeds")
    walsall = CouncilFactory(name="Walsall", slug="walsall")
    r2005 = AssessmentRoundFactory(
        year=2005, title="Social services star ratings 2005", publication_at=PUBLISHED_2005
    )
    r2006 = AssessmentRoundFactory(
        year=2006, title=SECRET_TITLE, methodology_version="2005", publication_at=ROUND_AT
    )
    RatingFactory(round=r2005, council=leeds)  # 2 stars
    RatingFactory(
        round=r2005, council=walsall, adults_serving="some", children_serving="some"
    )  # 1 star
    RatingFactory(
        round=r2005,
        council=leeds,
        revision=2,
        published_at=PAST_CORRECTION_AT,
        note=PAST_NOTE,
        adults_serving="yes",
    )
    RatingFactory(
        round=r2005,
        council=walsall,
        revision=2,
        published_at=CORRECTION_AT,
        note=SECRET_NOTE,
        **ALL_WELL,
    )
    RatingFactory(round=r2006, council=leeds, **ALL_WELL)
    RatingFactory(round=r2006, council=walsall, **ALL_WELL)
    settle()
    return {"leeds": leeds, "walsall": walsall, "2005": r2005, "2006": r2006}
