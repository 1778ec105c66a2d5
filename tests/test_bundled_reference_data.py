"""`load_portal_data --no-sample`: the reference data alone, into an empty database."""

import pytest

from ratings.models import AssessmentRound, Council, Domain, KeyIndicatorCap, PublishedFact, Rating

pytestmark = pytest.mark.django_db


def test_reference_data_only(call):
    status, out, _ = call("load_portal_data", "--no-sample")
    assert status == 0
    assert Council.objects.count() == 150
    assert not Council.objects.filter(region__isnull=True).exists()
    assert Domain.objects.count() == 3
    assert KeyIndicatorCap.objects.filter(methodology_version="2002").exists()
    assert PublishedFact.objects.filter(source_file="known-ratings.csv").count() == 159
    assert PublishedFact.objects.count() == 159 + 16  # and the later facts of 2002-2005
    assert Rating.objects.count() == 0
    assert AssessmentRound.objects.count() == 0
