"""The rules engine against the portal's table, and the properties the table must keep."""

import csv
import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratings import rules

PROJECT_TABLE = rules.RULES_DIR / "reconstructed-2002.csv"
# The reference copy in the team's shared folder, which CI checks out beside the project.
SHARED_TABLE = Path(__file__).resolve().parents[2] / "shared" / "domain" / "star-rules.csv"
REFERENCE_TABLE = SHARED_TABLE if SHARED_TABLE.exists() else PROJECT_TABLE


def read_table(path):
    with path.open(newline="") as handle:
        return [
            (
                rules.Judgements(
                    r["adults_serving"],
                    r["adults_prospects"],
                    r["children_serving"],
                    r["children_prospects"],
                ),
                int(r["stars"]),
            )
            for r in csv.DictReader(handle)
        ]


REFERENCE = read_table(REFERENCE_TABLE)
ALL_JUDGEMENTS = [
    rules.Judgements(*combo)
    for combo in itertools.product(
        rules.SERVING_LEVELS, rules.PROSPECT_LEVELS, rules.SERVING_LEVELS, rules.PROSPECT_LEVELS
    )
]

judgements_strategy = st.builds(
    rules.Judgements,
    st.sampled_from(rules.SERVING_LEVELS),
    st.sampled_from(rules.PROSPECT_LEVELS),
    st.sampled_from(rules.SERVING_LEVELS),
    st.sampled_from(rules.PROSPECT_LEVELS),
)
caps_strategy = st.lists(
    st.builds(
        rules.KeyIndicatorCap,
        st.sampled_from(["A1", "C20", "K7"]),
        st.sampled_from(rules.SERVICES),
        st.sampled_from(rules.SERVING_LEVELS),
    ),
    max_size=3,
)


def test_reference_table_has_all_256_combinations():
    assert len(REFERENCE) == 256
    assert {j for j, _ in REFERENCE} == set(ALL_JUDGEMENTS)


@pytest.mark.skipif(not SHARED_TABLE.exists(), reason="the shared folder is not beside the project")
def test_shipped_table_is_the_shared_reference():
    assert PROJECT_TABLE.read_text() == SHARED_TABLE.read_text()


@pytest.mark.parametrize("version", list(rules.methodology_versions()))
@pytest.mark.parametrize(("judgements", "stars"), REFERENCE, ids=str)
def test_rate_gives_the_table_answer(version, judgements, stars):
    rating = rules.rate(judgements, methodology=version)
    assert rating.stars == stars
    assert rating.reasons[-1] == (
        f"Overall: {rules.stars_in_words(stars)} under the {version} methodology."
    )


@pytest.mark.parametrize(("judgements", "stars"), REFERENCE, ids=str)
def test_reasons_explain_the_table_without_overriding_it(judgements, stars):
    reasons = rules.rate(judgements).reasons
    assert not any("overrides the general principles" in reason for reason in reasons)
    assert len(reasons) >= 2


def test_failure_in_either_service_gives_zero_stars_and_says_why():
    rating = rules.rate(rules.Judgements("yes", "excellent", "no", "excellent"))
    assert rating.stars == 0
    assert rating.reasons[0] == (
        "A failure in children's services (serving no people well) gives zero stars, "
        "however good the other service is."
    )


def test_some_with_poor_prospects_is_a_failure():
    rating = rules.rate(rules.Judgements("some", "poor", "yes", "excellent"))
    assert rating.stars == 0
    assert "failure" in rating.reasons[0]
    assert rating.reasons[0].startswith("Adults' services serving some people well")


def test_pinned_outcomes():
    # Newcastle upon Tyne and Sunderland, May 2002: most/excellent in both, three stars.
    assert rules.rate(rules.Judgements("most", "excellent", "most", "excellent")).stars == 3
    # Durham 2004: most/excellent and most/promising, two stars.
    assert rules.rate(rules.Judgements("most", "excellent", "most", "promising")).stars == 2
    # Walsall, May 2002: not serving people well, poor prospects, zero stars.
    assert rules.rate(rules.Judgements("no", "poor", "no", "poor")).stars == 0


def test_cap_is_applied_before_the_table_with_its_reason():
    cap = rules.KeyIndicatorCap("C20", "children", "some")
    rating = rules.rate(rules.Judgements("yes", "promising", "most", "excellent"), caps=[cap])
    assert rating.reasons[0] == (
        "Children's services are capped at 'some' because indicator C20 is below its threshold."
    )
    assert rating.judgements.children_serving == "some"
    assert (
        rating.stars == rules.rate(rules.Judgements("yes", "promising", "some", "excellent")).stars
    )
    assert rating.capped == ("children",)


def test_cap_that_does_not_bite_is_still_explained():
    cap = rules.KeyIndicatorCap("K7", "adults", "most")
    rating = rules.rate(rules.Judgements("some", "promising", "most", "promising"), caps=[cap])
    assert rating.judgements.adults_serving == "some"
    assert rating.capped == ()
    assert "already within the cap" in rating.reasons[0]


def test_key_indicator_cap_direction_follows_polarity():
    common = {"indicator_code": "A1", "service": "children", "maximum": "some", "threshold": 20}
    assert rules.key_indicator_cap(**common, higher_is_better=False, value=25).failing_because == (
        "above its threshold"
    )
    assert rules.key_indicator_cap(**common, higher_is_better=False, value=20) is None
    assert rules.key_indicator_cap(**common, higher_is_better=True, value=19.9) is not None
    assert rules.key_indicator_cap(**common, higher_is_better=True, value=None) is None
    assert rules.key_indicator_cap(**common, higher_is_better=False, value=90, exempt=True) is None


def test_bad_judgement_names_the_allowed_values():
    with pytest.raises(rules.InvalidJudgement) as error:
        rules.Judgements("mostly", "promising", "some", "poor")
    assert "use one of no, some, most, yes" in str(error.value)


def test_unknown_methodology_names_the_known_ones():
    with pytest.raises(rules.UnknownMethodology, match="use one of 2002, 2003, 2004, 2005"):
        rules.rate(ALL_JUDGEMENTS[0], methodology="1999")


def _improvements(judgements):
    for field_name in judgements.as_dict():
        scale = rules.SERVING_LEVELS if field_name.endswith("serving") else rules.PROSPECT_LEVELS
        position = scale.index(getattr(judgements, field_name))
        for better in scale[position + 1 :]:
            yield rules.Judgements(**{**judgements.as_dict(), field_name: better})


@given(judgements_strategy, caps_strategy)
def test_improving_any_judgement_never_lowers_the_stars(judgements, caps):
    stars = rules.rate(judgements, caps=caps).stars
    for better in _improvements(judgements):
        assert rules.rate(better, caps=caps).stars >= stars


@given(judgements_strategy, caps_strategy)
def test_a_cap_never_raises_the_stars(judgements, caps):
    assert rules.rate(judgements, caps=caps).stars <= rules.rate(judgements).stars


@given(judgements_strategy)
def test_adults_and_children_weigh_the_same(judgements):
    swapped = rules.Judgements(
        judgements.children_serving,
        judgements.children_prospects,
        judgements.adults_serving,
        judgements.adults_prospects,
    )
    assert rules.rate(swapped).stars == rules.rate(judgements).stars


def test_special_measures_rule():
    assert rules.on_special_measures_after(was_on=False, stars=0) is True
    assert rules.on_special_measures_after(was_on=True, stars=1) is False
    assert rules.on_special_measures_after(was_on=True, stars=None) is True
    assert rules.on_special_measures_after(was_on=False, stars=3) is False


def test_consequences():
    assert "special measures" in rules.consequences(0)[0]
    assert "freedoms" in rules.consequences(3)[0]
    assert rules.consequences(2) == []
