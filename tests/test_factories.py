import pytest

from ratings import models

from .factories import RatingFactory

pytestmark = pytest.mark.django_db


def test_rating_factory_stores_judgements_and_the_rules_stars():
    rating = RatingFactory(children_serving="some", children_prospects="uncertain")
    assert rating.stars == 1
    assert rating.rules_judgements().children_serving == "some"
    assert models.ServiceJudgement.objects.filter(rating=rating).count() == 2
