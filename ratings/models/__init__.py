"""The ratings domain's models: councils, rounds, judgements, ratings, indicators, groups,
CPA and the published record.

Stars are never computed here: ``ratings.rules`` decides them and ``ratings.services``
stores what it said. Constraints live in the database as well as in forms, so that an
import, the admin and a raw SQL session all meet the same rules.

- :mod:`.choices`: the vocabularies stored;
- :mod:`.councils`: councils, regions and groups;
- :mod:`.framework`: domains, standards, indicators and key-indicator caps;
- :mod:`.rounds`: rounds, ratings (one row per revision), judgements, indicator values,
  what the record says of each publication;
- :mod:`.record`: CPA results, published facts and published national figures;
- :mod:`.council_voice`: pre-release access, representations and councils' responses.
"""

from .choices import (
    PROSPECT_CHOICES,
    SERVICE_CHOICES,
    SERVING_CHOICES,
    CouncilType,
    CPACategory,
    Polarity,
    RatingStatus,
    RoundStatus,
)
from .council_voice import (
    CouncilResponse,
    PreReleaseAccess,
    Representation,
    RepresentationState,
    ResponseState,
)
from .councils import Council, Group, GroupMembership, Region
from .framework import Domain, Indicator, KeyIndicatorCap, Standard
from .record import CPAResult, PublishedFact, PublishedFigure, SpecialMeasuresBefore
from .rounds import (
    AssessmentRound,
    IndicatorValue,
    PublicationDetail,
    Rating,
    ServiceJudgement,
)

# django-simple-history names a history model's module after the app ("ratings") when its
# model lives in a models package, where nothing can import it (`manage.py shell` says so
# on start). Give the audit trail's models a home here, beside their models.
for _model in (AssessmentRound, IndicatorValue, Rating, Representation, CouncilResponse):
    _model.history.model.__module__ = __name__
    globals()[_model.history.model.__name__] = _model.history.model

__all__ = [
    "PROSPECT_CHOICES",
    "SERVICE_CHOICES",
    "SERVING_CHOICES",
    "AssessmentRound",
    "CPACategory",
    "CPAResult",
    "Council",
    "CouncilResponse",
    "CouncilType",
    "Domain",
    "Group",
    "GroupMembership",
    "Indicator",
    "IndicatorValue",
    "KeyIndicatorCap",
    "Polarity",
    "PreReleaseAccess",
    "PublicationDetail",
    "PublishedFact",
    "PublishedFigure",
    "Rating",
    "RatingStatus",
    "Region",
    "Representation",
    "RepresentationState",
    "ResponseState",
    "RoundStatus",
    "ServiceJudgement",
    "SpecialMeasuresBefore",
    "Standard",
]
