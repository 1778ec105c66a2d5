"""factory_boy factories for the ratings domain. Ratings get their stars from the rules
engine, so a factory-made rating is always one the portal could have published."""

import datetime as dt

import factory
from django.utils import timezone

from ratings import models, rules


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Region
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Council

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    council_type = models.CouncilType.UNITARY
    region = factory.SubFactory(RegionFactory, name="North East")


class AssessmentRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AssessmentRound
        django_get_or_create = ["year"]

    year = 2004
    title = factory.LazyAttribute(lambda o: f"Social services star ratings {o.year}")
    methodology_version = factory.LazyAttribute(lambda o: str(o.year))
    status = models.RoundStatus.SCHEDULED
    publication_at = factory.LazyAttribute(lambda o: dt.datetime(o.year, 11, 18, tzinfo=dt.UTC))

    class Params:
        embargoed = factory.Trait(
            publication_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
        )
        draft = factory.Trait(status=models.RoundStatus.DRAFT, publication_at=None)


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Domain
        django_get_or_create = ["slug"]

    slug = "children-and-families"
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").capitalize())


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Indicator

    code = factory.Sequence(lambda n: f"X{n}")
    title = factory.LazyAttribute(lambda o: f"Indicator {o.code}")
    domain = factory.SubFactory(DomainFactory)
    unit = "%"
    polarity = models.Polarity.HIGHER_IS_BETTER
    band_thresholds = [20, 40, 60, 80]


class KeyIndicatorCapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.KeyIndicatorCap

    indicator = factory.SubFactory(IndicatorFactory)
    methodology_version = "2004"
    service = "children"
    maximum = factory.LazyAttribute(lambda o: rules.DEFAULT_CAP_MAXIMUM[o.service])
    threshold = 50


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.IndicatorValue

    round = factory.SubFactory(AssessmentRoundFactory)
    council = factory.SubFactory(CouncilFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    value = 55


def _rated(o) -> rules.Rating:
    return rules.rate(
        rules.Judgements(
            o.adults_serving, o.adults_prospects, o.children_serving, o.children_prospects
        ),
        methodology=o.round.methodology_version,
    )


JUDGEMENT_FIELDS = ("adults_serving", "adults_prospects", "children_serving", "children_prospects")


class RatingFactory(factory.django.DjangoModelFactory):
    """A rating revision with its two service judgements and the stars the rules give."""

    class Meta:
        model = models.Rating

    round = factory.SubFactory(AssessmentRoundFactory)
    council = factory.SubFactory(CouncilFactory)
    revision = 1
    adults_serving = "most"
    adults_prospects = "promising"
    children_serving = "most"
    children_prospects = "promising"
    status = models.RatingStatus.RATED
    stars = factory.LazyAttribute(lambda o: _rated(o).stars)
    reasons = factory.LazyAttribute(lambda o: list(_rated(o).reasons))
    on_special_measures = factory.LazyAttribute(lambda o: o.stars == 0)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        values = {name: kwargs.pop(name) for name in JUDGEMENT_FIELDS}
        rating = super()._create(model_class, *args, **kwargs)
        if rating.status == models.RatingStatus.RATED:
            for service in rules.SERVICES:
                models.ServiceJudgement.objects.create(
                    rating=rating,
                    service=service,
                    serving=values[f"{service}_serving"],
                    prospects=values[f"{service}_prospects"],
                )
        return rating


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Group
        django_get_or_create = ["slug"]

    slug = "childrens-trust-pathfinders"
    name = "Children's Trust pathfinders"


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.GroupMembership

    group = factory.SubFactory(GroupFactory)
    council = factory.SubFactory(CouncilFactory)
    year = 2004


class CPAResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CPAResult

    council = factory.SubFactory(CouncilFactory)
    year = 2004
    category = models.CPACategory.GOOD
    education_score = 3
    childrens_social_care_score = 3


def rate_councils(round, councils, judgements):
    """A rating in ``round`` for each council named in ``judgements``, a mapping of name to
    (adults_serving, adults_prospects, children_serving, children_prospects)."""
    return [
        RatingFactory(
            round=round,
            council=councils[name],
            **dict(zip(JUDGEMENT_FIELDS, four, strict=True)),
        )
        for name, four in judgements.items()
    ]


class PublishedFactFactory(factory.django.DjangoModelFactory):
    """A rating fact found in public reporting (unlabelled: the round as last published;
    ``round_label="May"`` for the first publication of 2002)."""

    class Meta:
        model = models.PublishedFact

    council = factory.SubFactory(CouncilFactory)
    year = 2004
    round_label = ""
    stars = 2
    source = factory.Sequence(
        lambda n: f"Community Care 25 November 2004; https://news.example/{n}/ratings"
    )
