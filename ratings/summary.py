"""National figures for a published round, and the headline sentences drawn from them.

Every number the summary page, the API's summary endpoint and the national report show
comes from :func:`national_summary`; nothing is written by hand. Percentages are of the
councils rated in the round (councils left unrated are counted apart), to one decimal
place; headlines round them to whole numbers as a press release would.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from . import as_at, embargo, publications, rules, selectors, special_measures
from .models import AssessmentRound, CPAResult, GroupMembership, PublishedFigure, RatingStatus

_NUMBER_WORDS = {
    0: "no", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
    8: "eight", 9: "nine",
}  # fmt: skip


def percent(count: int, total: int) -> float | None:
    return round(100 * count / total, 1) if total else None


def _number(n: int) -> str:
    """Numbers under ten in words, as house style for headlines has it."""
    return _NUMBER_WORDS.get(n, str(n))


def _councils(n: int) -> str:
    return f"{_number(n)} council" if n == 1 else f"{_number(n)} councils"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"


def _stars(n: int) -> str:
    return rules.stars_in_words(n)


@dataclass
class Mover:
    council: str
    slug: str
    from_stars: int
    to_stars: int
    from_year: int
    rounds: int  # how many rounds the move took, counting both ends

    @property
    def change(self) -> int:
        return self.to_stars - self.from_stars

    def describe(self) -> str:
        start = "zero" if self.from_stars == 0 else _number(self.from_stars)
        if self.rounds == 1:
            # A move within the round: a refresh or correction since its first publication.
            return (
                f"{self.council}: from {start} to {_stars(self.to_stars)} "
                f"since {self.from_year}'s first publication"
            )
        return (
            f"{self.council}: from {start} to {_stars(self.to_stars)} "
            f"in {_number(self.rounds)} years"
        )


@dataclass
class GroupComparison:
    group: str
    slug: str
    members: int
    members_two_or_three: int
    others: int
    others_two_or_three: int

    @property
    def members_percent(self):
        return percent(self.members_two_or_three, self.members)

    @property
    def others_percent(self):
        return percent(self.others_two_or_three, self.others)


@dataclass
class NationalSummary:
    round: AssessmentRound
    previous_round: AssessmentRound | None
    councils: int
    not_rated: list[str]
    stars: dict[int, int]
    two_or_three: int
    previous_two_or_three_percent: float | None
    previous_stars: dict[int, int] | None
    serving_most_adults: int
    serving_most_children: int
    adults_prospects_good: int
    children_prospects_good: int
    special_measures_on: list[str]
    special_measures_entered: list[str]
    special_measures_left: list[str]
    zero_stars: list[str]
    moved_up: int
    moved_down: int
    movers_up: list[Mover] = field(default_factory=list)
    movers_down: list[Mover] = field(default_factory=list)
    groups: list[GroupComparison] = field(default_factory=list)
    cpa_categories: dict[str, int] = field(default_factory=dict)
    cpa_year: int | None = None
    education_minus_social_care: dict[int, int] = field(default_factory=dict)
    # How many went on to special measures (named in special_measures_entered only where
    # the record makes that certain) and what the register's record leaves unnamed.
    special_measures_entered_count: int = 0
    special_measures_note: str = ""
    # What moved_up, moved_down, the movers and the register compare with: the round's
    # previous publication (a refresh or correction) or else the previous round.
    compared_with: str = ""
    compared_at: object = None
    # Which publication of the round these figures are (``ratings.publications``).
    publication: object = None
    # The Audit Commission's CPA categories as published, each year up to the round's:
    # [(year, {"excellent": 22, ...}, source)]. Published facts, not the portal's counts.
    cpa_published: list = field(default_factory=list)
    # The rated councils by each judgement's level ({"children_serving": {"no": [...]}})
    # and by their move from the previous round ({(previous stars, stars): count}), for
    # checking the published figures (ratings.record).
    judgement_councils: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    transitions: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.round.year

    def share(self, count: int) -> float | None:
        return percent(count, self.councils)

    @property
    def stars_percent(self) -> dict[int, float | None]:
        return {stars: self.share(count) for stars, count in self.stars.items()}

    @property
    def stars_change(self) -> dict[int, int] | None:
        """Councils at each star level, more (+) or fewer (-) than in the previous round."""
        if self.previous_stars is None:
            return None
        return {stars: count - self.previous_stars[stars] for stars, count in self.stars.items()}

    @property
    def two_or_three_percent(self) -> float | None:
        return self.share(self.two_or_three)

    @property
    def change_points(self) -> float | None:
        if self.previous_two_or_three_percent is None or self.two_or_three_percent is None:
            return None
        return round(self.two_or_three_percent - self.previous_two_or_three_percent, 1)

    @property
    def change_text(self) -> str:
        """The change in the share with two or three stars, in words with an arrow, e.g.
        "↑ Up 8.0 percentage points (from 60.0%)"; empty for a first round."""
        if self.previous_round is None:
            return ""
        change, before = self.change_points, self.previous_two_or_three_percent
        if change is None:
            return "Not known"
        if change == 0:
            return f"→ The same share as in {self.previous_round.year} ({before}%)"
        arrow, direction = ("↑", "Up") if change > 0 else ("↓", "Down")
        points = "percentage point" if abs(change) == 1 else "percentage points"
        return f"{arrow} {direction} {abs(change)} {points} (from {before}%)"

    @property
    def shares(self) -> list[tuple[str, int, float | None]]:
        """(label, count, percent) of the four judgement shares, in the summary's order."""
        return [
            (label, count, self.share(count))
            for label, count in (
                ("Serving most or all adults well", self.serving_most_adults),
                ("Serving most or all children well", self.serving_most_children),
                ("Adults’ prospects promising or excellent", self.adults_prospects_good),
                ("Children’s prospects promising or excellent", self.children_prospects_good),
            )
        ]

    @property
    def headlines(self) -> list[str]:
        return headlines(self)

    def as_dict(self) -> dict:
        """The API's summary shape (a contract: field names do not change)."""
        return {
            "year": self.year,
            "is_sample": self.round.is_sample,
            "councils": self.councils,
            "not_rated": len(self.not_rated),
            "stars": {str(k): v for k, v in self.stars.items()},
            "stars_percent": {str(k): v for k, v in self.stars_percent.items()},
            "two_or_three_stars": {
                "count": self.two_or_three,
                "percent": self.two_or_three_percent,
                "change_points": self.change_points,
            },
            "serving_most_adults_well_percent": self.share(self.serving_most_adults),
            "serving_most_children_well_percent": self.share(self.serving_most_children),
            "adults_prospects_promising_or_excellent_percent": self.share(
                self.adults_prospects_good
            ),
            "children_prospects_promising_or_excellent_percent": self.share(
                self.children_prospects_good
            ),
            "special_measures": {
                "on": len(self.special_measures_on),
                "entered": self.special_measures_entered,
                "entered_count": self.special_measures_entered_count,
                "left": self.special_measures_left,
                "note": self.special_measures_note,
            },
            "zero_stars": self.zero_stars,
            "moved_up": self.moved_up,
            "moved_down": self.moved_down,
            "headlines": self.headlines,
            "publisher": self.round.publisher,
            "as_at": self.publication.as_at if self.publication else None,
            "publication": self.publication.current.as_dict() if self.publication else None,
            "first_publication": self.publication.first.as_dict() if self.publication else None,
            "publications": [p.as_dict() for p in self.publication.all] if self.publication else [],
        }


_GOOD_PROSPECTS = ("promising", "excellent")
_MOST = ("most", "yes")


WITHIN_ROUND = "the round's previous publication"


@dataclass(frozen=True)
class _Baseline:
    """What a publication is compared with: each council's stars and special measures in
    the round's previous publication, or else in the previous round."""

    label: str
    within_round: bool
    at: object
    stars: dict[int, int | None]
    on_special_measures: set[str]


def _state(round, at) -> list[tuple]:
    """Each council's (id, name, stars, status, on special measures) in ``round`` as it
    stood at ``at`` (one query)."""
    return list(
        selectors.current_ratings(at)
        .filter(round=round)
        .values_list("council_id", "council__name", "stars", "status", "on_special_measures")
    )


def _baseline(round, previous_round, previous_state, now) -> _Baseline | None:
    moment = embargo.now(now)
    passed = embargo.publication_moments(round, moment)
    if len(passed) > 1:
        at, within, label = passed[-2], True, WITHIN_ROUND
        state = _state(round, at)
    elif previous_round is not None:
        at, within, label = moment, False, str(previous_round.year)
        state = previous_state
    else:
        return None
    stars = {council_id: value for council_id, _, value, _, _ in state}
    on = {name for _, name, _, _, on_measures in state if on_measures}
    return _Baseline(label, within, at, stars, on)


def national_summary(round: AssessmentRound, now=None, *, rounds=None) -> NationalSummary:
    """The national figures of a published round as it stood at ``now`` (its latest
    publication by then; a fixed number of queries). A caller that has the published
    rounds at ``now`` already (oldest first) passes them."""
    if rounds is None:
        rounds = embargo.published_rounds(now)
    earlier = [r for r in rounds if r.year < round.year]
    previous_round = earlier[-1] if earlier else None
    rows = list(selectors.round_ratings(round, now, previous=previous_round))
    rated = [r for r in rows if r.status == RatingStatus.RATED]
    stars = Counter(r.stars for r in rated)
    # The previous round once: for its star counts and, unless a refresh of this round
    # came between, as what this publication is compared with.
    previous_state = _state(previous_round, now) if previous_round is not None else None
    baseline = _baseline(round, previous_round, previous_state, now)

    previous_percent = None
    previous_stars = None
    if previous_state is not None:
        previous = [s for _, _, s, status, _ in previous_state if status == RatingStatus.RATED]
        previous_percent = percent(sum(1 for s in previous if s >= 2), len(previous))
        counted = Counter(previous)
        previous_stars = {s: counted.get(s, 0) for s in rules.STAR_VALUES}

    def names(predicate):
        return [r.council.name for r in rows if predicate(r)]

    def moved(r) -> int:
        before = baseline.stars.get(r.council_id) if baseline else None
        if r.stars is None or before is None:
            return 0
        return (r.stars > before) - (r.stars < before)

    if baseline is not None:
        register = special_measures.change(
            names(lambda r: r.on_special_measures), baseline.on_special_measures
        )
    else:
        before, unnamed = special_measures.before_first_round()
        register = special_measures.change(names(lambda r: r.on_special_measures), before, unnamed)

    summary = NationalSummary(
        round=round,
        previous_round=previous_round,
        councils=len(rated),
        not_rated=names(lambda r: r.status == RatingStatus.NOT_RATED),
        stars={s: stars.get(s, 0) for s in rules.STAR_VALUES},
        two_or_three=sum(1 for r in rated if r.stars >= 2),
        previous_two_or_three_percent=previous_percent,
        previous_stars=previous_stars,
        serving_most_adults=sum(1 for r in rated if r.adults_serving in _MOST),
        serving_most_children=sum(1 for r in rated if r.children_serving in _MOST),
        adults_prospects_good=sum(1 for r in rated if r.adults_prospects in _GOOD_PROSPECTS),
        children_prospects_good=sum(1 for r in rated if r.children_prospects in _GOOD_PROSPECTS),
        special_measures_on=list(register.on),
        special_measures_entered=list(register.entered),
        special_measures_left=list(register.left),
        special_measures_entered_count=register.entered_count,
        special_measures_note=register.note,
        zero_stars=names(lambda r: r.stars == 0),
        moved_up=sum(1 for r in rows if moved(r) > 0),
        moved_down=sum(1 for r in rows if moved(r) < 0),
        compared_with=baseline.label if baseline else "",
        compared_at=baseline.at if baseline else None,
    )
    summary.publication = publications.shown(round, now)
    summary.judgement_councils, summary.transitions = _judgements_and_moves(rated)
    summary.movers_up, summary.movers_down = _movers(round, now, rounds, baseline)
    summary.groups = _group_comparisons(round, rows)
    _add_cpa(summary)
    summary.cpa_published = _published_cpa(summary.year)
    return summary


def _judgements_and_moves(rated) -> tuple[dict, dict]:
    judgements: dict[str, dict[str, list[str]]] = {}
    for service in rules.SERVICES:
        for kind, levels in (
            ("serving", rules.SERVING_LEVELS),
            ("prospects", rules.PROSPECT_LEVELS),
        ):
            name = f"{service}_{kind}"
            judgements[name] = {
                level: [r.council.name for r in rated if getattr(r, name) == level]
                for level in levels
            }
    moves = Counter((r.previous_stars, r.stars) for r in rated if r.previous_stars is not None)
    return judgements, dict(moves)


def _movers(
    round: AssessmentRound, now, rounds, baseline: _Baseline | None, limit: int = 10
) -> tuple[list[Mover], list[Mover]]:
    """The councils whose stars changed since the publication compared with, biggest
    change first. Each move is told from the start of its run through every publication
    (refreshes included), level stretches and all: Tower Hamlets, one star in May 2002,
    two from the November refresh and in 2003, three in 2004, moved "from one to three
    stars in three years". A council that did not move since the last publication is not
    a mover, whatever it did before."""
    if baseline is None:
        return [], []
    history = defaultdict(list)
    for council_id, year, council, slug, stars in (
        embargo.published_ratings(now)
        .filter(round__year__lte=round.year, status=RatingStatus.RATED)
        .order_by("round__year", "revision")
        .values_list("council_id", "round__year", "council__name", "council__slug", "stars")
    ):
        history[(council_id, council, slug)].append((year, stars))
    years = [r.year for r in rounds if r.year <= round.year]
    up, down = [], []
    for (council_id, council, slug), ratings in history.items():
        before = baseline.stars.get(council_id)
        if not ratings or ratings[-1][0] != round.year or before is None:
            continue
        current = ratings[-1][1]
        if current == before:
            continue
        direction = 1 if current > before else -1
        start = len(ratings) - 1
        while (
            start > 0
            and years.index(ratings[start][0]) - years.index(ratings[start - 1][0]) <= 1
            and (ratings[start][1] - ratings[start - 1][1]) * direction >= 0
        ):
            start -= 1
        # A level stretch at the start is not part of the move: it starts where it left.
        while ratings[start + 1][1] == ratings[start][1]:
            start += 1
        start_year, start_stars = ratings[start]
        (up if direction > 0 else down).append(
            Mover(
                council=council,
                slug=slug,
                from_stars=start_stars,
                to_stars=current,
                from_year=start_year,
                rounds=years.index(round.year) - years.index(start_year) + 1,
            )
        )
    up.sort(key=lambda m: (-m.change, m.rounds, m.council))
    down.sort(key=lambda m: (m.change, m.rounds, m.council))
    return up[:limit], down[:limit]


def _group_comparisons(round: AssessmentRound, rows) -> list[GroupComparison]:
    members = defaultdict(set)
    groups = {}
    for membership in GroupMembership.objects.filter(year=round.year).select_related("group"):
        members[membership.group_id].add(membership.council_id)
        groups[membership.group_id] = membership.group
    rated = [r for r in rows if r.status == RatingStatus.RATED]
    comparisons = []
    for group_id, council_ids in members.items():
        inside = [r for r in rated if r.council_id in council_ids]
        outside = [r for r in rated if r.council_id not in council_ids]
        comparisons.append(
            GroupComparison(
                group=groups[group_id].name,
                slug=groups[group_id].slug,
                members=len(inside),
                members_two_or_three=sum(1 for r in inside if r.stars >= 2),
                others=len(outside),
                others_two_or_three=sum(1 for r in outside if r.stars >= 2),
            )
        )
    return sorted(comparisons, key=lambda c: c.group)


def _add_cpa(summary: NationalSummary) -> None:
    """The CPA results of the round's year (CPA was published a few weeks after it)."""
    results = list(
        CPAResult.objects.filter(year=summary.year).values_list(
            "category", "education_score", "childrens_social_care_score"
        )
    )
    if not results:
        return
    summary.cpa_year = summary.year
    categories = Counter(category for category, _, _ in results)
    summary.cpa_categories = {
        c: categories.get(c, 0) for c in ("excellent", "good", "fair", "weak", "poor")
    }
    summary.education_minus_social_care = dict(
        sorted(
            Counter(
                education - social_care
                for _, education, social_care in results
                if education is not None and social_care is not None
            ).items()
        )
    )


CPA_CATEGORIES = ("excellent", "good", "fair", "weak", "poor")


def _published_cpa(year: int) -> list[tuple[int, dict[str, int], str]]:
    found: dict[int, dict[str, int]] = defaultdict(dict)
    sources: dict[int, str] = {}
    for figure_year, figure, value, source in PublishedFigure.objects.filter(
        year__lte=year, figure__startswith="cpa.categories."
    ).values_list("year", "figure", "value", "source"):
        if value.strip().isdigit():
            found[figure_year][figure.rsplit(".", 1)[1]] = int(value)
            sources.setdefault(figure_year, source)
    return [
        (y, {c: found[y][c] for c in CPA_CATEGORIES if c in found[y]}, sources[y])
        for y in sorted(found)
        if set(found[y]) == set(CPA_CATEGORIES)
    ]


def headlines(summary: NationalSummary) -> list[str]:
    """Press-release sentences, every number from the summary."""
    lines = []
    previous_year = summary.previous_round.year if summary.previous_round else None
    if summary.councils:
        sentence = (
            f"{_councils(summary.two_or_three).capitalize()} "
            f"({summary.two_or_three_percent:.0f}%) {_were(summary.two_or_three)} awarded "
            "two or three stars"
        )
        change = summary.change_points
        if change is not None and previous_year is not None:
            if round(change) == 0:
                sentence += f", the same share as in {previous_year}"
            else:
                direction = "up" if change > 0 else "down"
                points = abs(round(change))
                sentence += (
                    f", {direction} {points} percentage "
                    f"point{'s' if points != 1 else ''} on {previous_year}"
                )
        lines.append(sentence + ".")
        lines.append(
            f"{_councils(summary.stars[3]).capitalize()} "
            f"({summary.stars_percent[3]:.0f}%) {_were(summary.stars[3])} awarded three stars and "
            f"{_councils(summary.stars[0])} ({summary.stars_percent[0]:.0f}%) zero stars."
        )
        lines.append(
            f"{summary.share(summary.serving_most_adults):.0f}% of councils were serving most "
            f"adults well and {summary.share(summary.serving_most_children):.0f}% most "
            "children well."
        )
    if summary.compared_with and (summary.moved_up or summary.moved_down):
        since = previous_year if previous_year is not None else summary.compared_with
        if summary.compared_with == WITHIN_ROUND:
            since = f"the previous publication ({as_at.day_of(summary.compared_at):%B %Y})"
        lines.append(
            f"Since {since}, {_councils(summary.moved_up)} gained at least one star "
            f"and {_number(summary.moved_down)} lost at least one."
        )
    entered, left = summary.special_measures_entered_count, summary.special_measures_left
    if entered or left:
        lines.append(
            f"{_councils(entered).capitalize()} went on to special measures and "
            f"{_number(len(left)) if left else 'none'} came off them."
        )
    if summary.not_rated:
        lines.append(
            f"{_councils(len(summary.not_rated)).capitalize()} {_were(len(summary.not_rated))} "
            "not rated this year."
        )
    for comparison in summary.groups:
        if comparison.members:
            sentence = (
                f"{comparison.members_two_or_three} of the {comparison.members} "
                f"{comparison.group} ({comparison.members_percent:.0f}%) had two or three stars"
            )
            if comparison.others:
                sentence += f", against {comparison.others_percent:.0f}% of other councils"
            lines.append(sentence + ".")
    return lines
