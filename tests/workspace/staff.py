"""Staff users and a small open round for the workspace tests."""

import dataclasses

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from ratings import models
from tests import factories
from workspace import models as workspace_models
from workspace import roles


class StaffFactory(factory.django.DjangoModelFactory):
    """A user with one of the roles of ratings.roles (by ``role``), or none."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@inspectorate.example")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if extracted:
            user.groups.add(Group.objects.get(name=extracted))


def inspector(username="inspector"):
    return StaffFactory(username=username, role=roles.INSPECTOR)


def lead(username="lead"):
    return StaffFactory(username=username, role=roles.LEAD_INSPECTOR)


def publisher(username="publisher"):
    return StaffFactory(username=username, role=roles.PUBLISHER)


@dataclasses.dataclass
class OpenRound:
    round: models.AssessmentRound
    councils: list[models.Council]
    domains: list[models.Domain]
    inspector: object

    @property
    def council(self):
        return self.councils[0]


DOMAINS = (
    ("children-and-families", "Children and families"),
    ("adults-and-older-people", "Adults and older people"),
    ("management-and-resources", "Management and resources"),
)


def open_round(*, year=2006, councils=2, inspector_user=None) -> OpenRound:
    """An open round (2005 methodology) with ``councils`` councils, all assigned to one
    inspector, and the three domains."""
    round = factories.AssessmentRoundFactory(
        year=year, methodology_version="2005", status=models.RoundStatus.OPEN, publication_at=None
    )
    domains = [
        factories.DomainFactory(slug=slug, name=name, order=i)
        for i, (slug, name) in enumerate(DOMAINS)
    ]
    made = [factories.CouncilFactory() for _ in range(councils)]
    person = inspector_user or inspector()
    for council in made:
        workspace_models.Assignment.objects.create(round=round, council=council, inspector=person)
    return OpenRound(round, made, domains, person)


def judgements_post(version, four=("most", "promising", "most", "promising"), **extra):
    names = ("adults_serving", "adults_prospects", "children_serving", "children_prospects")
    data = {"version": version, "action": "save", **dict(zip(names, four, strict=True))}
    data.update(extra)
    return data


def contact(council, username="contact", **names):
    """A council contact for ``council``."""
    user = StaffFactory(username=username, role=roles.COUNCIL_CONTACT, **names)
    workspace_models.CouncilContact.objects.create(user=user, council=council)
    return user


JUDGEMENTS = {
    "adults_serving": "most",
    "adults_prospects": "promising",
    "children_serving": "most",
    "children_prospects": "promising",
}


def scheduled_round(publication_at, *, councils=2, year=2006) -> OpenRound:
    """An open round whose councils are all agreed (2 stars each) and scheduled by a
    publisher for ``publication_at``."""
    from workspace import services as work

    case = open_round(year=year, councils=councils)
    for council in case.councils:
        workspace_models.Assessment.objects.create(
            round=case.round, council=council, state="agreed", **JUDGEMENTS
        )
    work.schedule_round(case.round, publication_at, user=publisher(), now=None)
    case.round.refresh_from_db()
    return case
