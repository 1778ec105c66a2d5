"""Generate the portal's SAMPLE data: star ratings 2002-2005, CPA results, pathfinders.

    .venv/bin/python scripts/generate_sample_data.py [--out DIR]

Why one long file: this is a one-off generator, not application code. The portal never
imports it; it is run by hand to rewrite ``ratings/data/sample/`` and by one test, which
checks that it reproduces the committed files byte for byte. Its stages share one seeded
random generator and one in-memory model of the rounds, and read best top to bottom.

Most councils' real judgements were never found, so the portal is demonstrated with sample
data built around every real fact in ``ratings/data/known-ratings.csv``, the 2002-2005 rows
of ``ratings/data/more-facts-2002-2008.csv`` (a row that conflicts with a known-ratings.csv
fact is not honoured: the known one is) and ``ratings/data/known-cpa.csv``, and matching
the published national figures (``/work/shared/domain/README.md``, "National figures").
Everything this script writes is SAMPLE data except the facts it was given; rows that carry
a real fact say so in their ``source`` column (CPA, group memberships).

How it works (a constraint-satisfaction problem, solved in stages with a fixed seed):

1. Stars. Each council gets stars in five rounds (May 2002, after the November 2002 refresh,
   2003, 2004, 2005 or "not rated"). Known facts are pinned, so are a few "hints": sample
   choices guided by what a source says in words rather than in a fact's cells (listed
   below with their reasons). Simulated annealing then fills the rest so that the star
   counts and the movements between rounds match the published figures exactly, with as
   few moves of two or more stars as possible.
2. Children's Trust pathfinders 2004: the councils a source names, plus sample councils
   chosen so that 28 of the 35 have two or three stars.
3. Judgements. For each round and council, one of the table's combinations that gives the
   council's stars and keeps every known judgement; a second annealing pass chooses among
   them to hit the published judgement shares, preferring judgements close to the
   council's previous ones.
4. Special measures follow the rule: zero stars puts a council on, one or more takes it
   off, not rated keeps the previous state.
5. CPA 2003 and 2004: children's social care score = stars + 1, education scores matching
   the published gaps, categories matching the published counts and caps.
6. Indicator values, when ``ratings/data/indicators.csv`` and
   ``ratings/data/key-indicator-caps.csv`` exist: one value per council and indicator,
   banded with the council's stars, and never failing a key indicator whose cap the
   council's judgement is above.

Every constraint is checked at the end; the script exits with status 1 and says which one
failed rather than write data that breaks them. The output depends only on the inputs and
the seed: no clock, no set or dict ordering.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ratings import later_facts, rules  # noqa: E402

SEED = 20020530  # publication day of the first ratings
DATA = ROOT / "ratings" / "data"
DEFAULT_OUT = DATA / "sample"

# --- the rounds and the national figures ---------------------------------------------------

ROUNDS = ("may", "nov", "2003", "2004", "2005")  # "nov": the rating in force after the refresh
MAY, NOV, Y2003, Y2004, Y2005 = range(5)
METHODOLOGY = {MAY: "2002", NOV: "2002", Y2003: "2003", Y2004: "2004", Y2005: "2005"}
NR = 4  # "not rated" (2005 only)
STAR_COUNTS = {
    MAY: (10, 82, 50, 8),
    NOV: (12, 75, 52, 11),
    Y2003: (8, 52, 74, 16),
    Y2004: (8, 40, 82, 20),
    Y2005: (3, 31, 83, 26),
}
NOT_RATED_2005 = 7  # 150 - (3 + 31 + 83 + 26)
REFRESH_UP, REFRESH_DOWN = 12, 6
MOVES_2003 = (41, 6)  # up, down against the ratings in force after the refresh
DOWN_2004 = 11
MOVES_2005 = (36, 15)  # among councils rated in both years
THREE_TO_TWO_2005 = 4
ZERO_ROSE_2005 = 6

SERVING = rules.SERVING_LEVELS
PROSPECTS = rules.PROSPECT_LEVELS
FIELDS = ("adults_serving", "adults_prospects", "children_serving", "children_prospects")
MOST = ("most", "yes")
GOOD_PROSPECTS = ("promising", "excellent")

CPA_CATEGORIES = ("excellent", "good", "fair", "weak", "poor")
CPA_COUNTS = {2003: (26, 56, 40, 18, 10), 2004: (41, 60, 33, 15, 1)}
CPA_MOVES_2004 = {"up": 52, "down": 2, "weak_or_poor_up": 21}  # PF-2004-12 (evidence.md 6.4)
# 2004: education minus children's social care score (Community Care, 7 January 2005):
# +2 in "almost a fifth", +1 in 68, below in 6, equal in the rest.
EDUCATION_GAPS_2004 = {2: 29, 1: 68, -1: 6}
CAPPED_NOTE = "capped at weak by its zero-star social services rating"

PATHFINDER_GROUP = "childrens-trust-pathfinders"
PATHFINDERS = 35
PATHFINDERS_TWO_PLUS = 28
CHILDREN_NOW_2004 = (
    "Children Now, November 2004 (Ruth Smith, 'Analysis: Social Care Star Ratings - "
    "Children's Trusts show promise'); https://www.cypnow.co.uk/content/other/"
    "analysis-social-care-star-ratings-childrens-trusts-show-promise"
)
# Councils a source names as Children's Trust pathfinders (2004), with the source.
REAL_PATHFINDERS = {
    "Bracknell Forest": CHILDREN_NOW_2004,
    "Ealing": CHILDREN_NOW_2004 + " (the only zero-star pathfinder)",
    "Gateshead": CHILDREN_NOW_2004,
    "Sandwell": CHILDREN_NOW_2004 + " (a pathfinder with uncertain children's prospects)",
    "Tower Hamlets": CHILDREN_NOW_2004,
    "Essex": "https://www.cypnow.co.uk/content/other/"
    "analysis-policy-childrens-trusts-pathfinders-reflect-on-pilotperiod "
    "(pathfinder in Braintree, Witham and Halstead since 2003)",
    "Sutton": "Community Care 5 August 2004; https://www.communitycare.co.uk/2004/08/05/"
    "trust-in-us/ (Sutton's children's trust pathfinder, for disabled children)",
}
# Children Now, November 2004: "33 of the pathfinders are rated as excellent or promising
# [children's capacity] and only two, Sandwell and Ealing, as uncertain"; Ealing the only
# zero-star pathfinder.
PATHFINDERS_UNCERTAIN = ("Ealing", "Sandwell")

# 2004 (Children Now, November 2004): Bracknell Forest the only one of the 40 one-star
# councils serving most children well, and Ealing the only zero-star one.
ONLY_ONE_STAR_MOST_CHILDREN_2004 = "Bracknell Forest"
ONLY_ZERO_STAR_MOST_CHILDREN_2004 = "Ealing"

# Published outcomes that the reconstructed table cannot give for the judgements the record
# (and the sample) holds. The judgements are not bent to fit the table: the rating carries
# the published stars, and the import is told so (``published_outcome`` column).
PUBLISHED_OUTCOMES = {
    # Ealing 2004: children most/uncertain (published), adults some (published) with a
    # capacity for improvement that was not published: no reading of the table gives zero
    # without inventing a failure on the adults' side.
    ("Ealing", 3): (
        "The published record names the children's uncertain capacity for improvement as "
        "the cause: Ealing was the only zero-star council judged to serve most children well, "
        "with uncertain capacity to improve them (Children Now, November 2004; Public Finance, "
        "November 2004). The adults' capacity for improvement was not published: the one shown "
        "is sample data."
    ),
}

# --- hints: sample choices guided by a source's words (not facts in cells) ------------------

# (council, round) -> stars. Each is what a source implies; the facts file keeps the source.
STAR_HINTS = {
    ("Kingston upon Hull", MAY): 2,  # "two stars for the third year" (2002-2004)
    ("South Tyneside", MAY): 1,  # page probably about May 2002
    ("Brighton and Hove", MAY): 1,  # "as in 2001/02"
    ("Isle of Wight", MAY): 2,  # "retained" two stars at the refresh
    ("Kent", MAY): 2,  # promoted to three stars at the refresh
    ("Waltham Forest", MAY): 1,  # zero after the refresh, not on the May zero list
    ("Durham", NOV): 1,  # 2003: "up from one star"
    ("North Yorkshire", NOV): 1,  # 2003: "up one star from last year"
    ("York", NOV): 2,  # 2003: "same as the year before"
    ("Darlington", NOV): 1,  # 2003: "one star for the second year"
    ("Lancashire", NOV): 1,  # 2003: "stayed at one star"
    ("Oldham", NOV): 1,  # a new zero-star council in 2003
    ("Windsor and Maidenhead", NOV): 1,  # CPA 2003 weak -> good "on social care improvements"
    ("Windsor and Maidenhead", Y2003): 2,
    # 2003: "of the 12 zero-star councils of 2002, six rose to one star and East Sussex to
    # two; five stayed at zero" (evidence.md 7.2): the May zero list stayed at zero in the
    # refresh, and these six rose to one.
    ("Coventry", NOV): 0,
    ("Haringey", NOV): 0,
    ("Merton", NOV): 0,
    ("North East Lincolnshire", NOV): 0,
    ("Wakefield", NOV): 0,
    ("Walsall", NOV): 0,
    ("Coventry", Y2003): 1,
    ("Merton", Y2003): 1,
    ("North East Lincolnshire", Y2003): 1,
    ("Wakefield", Y2003): 1,
    ("Walsall", Y2003): 1,
    ("Sandwell", Y2004): 1,  # zero in 2005 but not one of 2004's zero-star councils
    ("Halton", Y2003): 1,  # "has risen from one to two stars" (the later fact, 2004 or 2005)
    ("Hampshire", MAY): 2,  # two stars "for the fifth year running" in 2006: all of 2002
}
# 2005: North East Lincolnshire "the only one-star council in Yorkshire and Humber".
ONLY_ONE_STAR_2005_REGION = ("Yorkshire and the Humber", "North East Lincolnshire")
# 2005: Devon "the only council in the South West [of the BBC's Devon pages] to improve".
NOT_UP_2005 = ("Cornwall", "Torbay")

# (council, round) -> judgement cells. Sample choices guided by a source's words.
_SOME_PROMISING = {
    "adults_serving": "some",
    "adults_prospects": "promising",
    "children_serving": "some",
    "children_prospects": "promising",
}
_SOME_UNCERTAIN = {
    "adults_serving": "some",
    "adults_prospects": "uncertain",
    "children_serving": "some",
    "children_prospects": "uncertain",
}
JUDGEMENT_HINTS = {
    # "serving some people well, promising prospects (services not split)"
    ("Darlington", MAY): _SOME_PROMISING,
    ("Durham", MAY): _SOME_PROMISING,
    ("Herefordshire", MAY): _SOME_PROMISING,
    ("Stockton-on-Tees", MAY): _SOME_PROMISING,
    ("Redcar and Cleveland", MAY): _SOME_UNCERTAIN,
    ("Torbay", Y2003): _SOME_UNCERTAIN,
    # one star with "promising" and "excellent" prospects (services not attributed)
    ("Tower Hamlets", MAY): {
        "adults_serving": "some",
        "adults_prospects": "promising",
        "children_serving": "some",
        "children_prospects": "excellent",
    },
    ("Haringey", MAY): {"children_prospects": "poor"},  # children "failing / Poor"
    # the refresh: "fall 2->1 on children's homes key indicator", which caps children at some
    ("Somerset", MAY): {"children_serving": "some"},
    ("Somerset", NOV): {"children_serving": "some"},
    ("East Sussex", MAY): {"children_serving": "most"},  # adults "dragging it down"
    ("Kingston upon Hull", MAY): {
        "adults_prospects": "promising",
        "children_prospects": "promising",
    },
    ("West Sussex", Y2003): {"adults_prospects": "promising", "children_prospects": "promising"},
    ("Ealing", Y2003): {"children_prospects": "promising"},  # "had been Promising in 2003"
    # 2005 children some/promising "mirrors its adult services performance in 2004"
    ("Birmingham", Y2005): {"children_serving": "some", "children_prospects": "promising"},
}

# Judgement shares to aim at, as counts: feature -> (target, weight). 2002: about a third
# most adults and a third most children; 2003 is not published (sample: in between); 2004 and
# 2005 as published (2005 as a share of the 143 rated councils).
SHARE_TARGETS = {
    MAY: {"a_most": (48, 3), "c_most": (48, 3)},  # the refresh's risers add a few
    NOV: {"a_most": (50, 3), "c_most": (50, 3)},
    Y2003: {"a_most": (70, 3), "c_most": (66, 3)},
    Y2004: {"a_most": (90, 3), "c_most": (78, 3), "a_good": (137, 3), "c_good": (122, 3)},
    Y2005: {
        "a_most": (110, 3),
        "c_most": (90, 3),
        "c_uncertain": (15, 1),  # CC-2005-12-02: uncertain in 15 councils
        "c_up": (35, 1),  # children's judgement improved in 35 councils, fell in 13
        "c_down": (13, 1),
    },
}
SERVING_PRIOR = {"no": 0.3, "some": 1.0, "most": 1.0, "yes": 0.45}
PROSPECTS_PRIOR = {"poor": 0.3, "uncertain": 0.8, "promising": 1.0, "excellent": 0.7}


def stage_rng(stage: str) -> random.Random:
    """A random generator of its own for each stage (string seeds are stable across runs),
    so that changing one stage, say the indicators, leaves the others' output alone."""
    return random.Random(f"{SEED}:{stage}")


class GenerationError(Exception):
    """A constraint the data cannot meet, or a fact that cannot hold."""


# --- reading the inputs --------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Inputs:
    councils: list[str]
    region: dict[str, str]
    aliases: dict[str, str]
    facts: list[dict[str, str]]
    cpa_facts: list[dict[str, str]]
    later: list[later_facts.LaterFact] = field(default_factory=list)  # those honoured
    star_pins: dict[tuple[str, int], int] = field(default_factory=dict)  # NR for not rated
    judgement_pins: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)


def fact_round(row: dict[str, str]) -> int:
    """The round a fact belongs to; an undated 2002 fact is the rating in force at year end."""
    year, round_ = row["year"], row["round"].strip().lower()
    if year == "2002":
        return MAY if round_ == "may" else NOV
    return {"2003": Y2003, "2004": Y2004, "2005": Y2005}[year]


def later_round(fact: later_facts.LaterFact) -> int:
    """The round a later fact is honoured in: a 2002 one is the rating in force at the end
    of the year, as an undated known fact of 2002 is."""
    return {2002: NOV, 2003: Y2003, 2004: Y2004, 2005: Y2005}[fact.year]


def read_inputs() -> Inputs:
    council_rows = read_csv(DATA / "councils.csv")
    councils = [row["name"] for row in council_rows]
    aliases = {}
    for row in council_rows:
        aliases[row["name"]] = row["name"]
        for alias in filter(None, (a.strip() for a in row["alternative_names"].split(";"))):
            aliases[alias] = row["name"]
    inputs = Inputs(
        councils=councils,
        region={row["name"]: row["region"] for row in council_rows},
        aliases=aliases,
        facts=read_csv(DATA / "known-ratings.csv"),
        cpa_facts=read_csv(DATA / "known-cpa.csv"),
    )
    problems = []
    for fact in later_facts.read_later_facts(DATA / later_facts.LATER_FACTS_FILE):
        if fact.council not in aliases:
            problems.append(f"more-facts line {fact.line}: unknown council {fact.council!r}")
        elif later_facts.conflicting_known_fact(fact, inputs.facts, aliases.get) is None:
            inputs.later.append(fact)
    for line, row in enumerate(inputs.facts, start=2):
        council = aliases.get(row["council"])
        if council is None:
            problems.append(f"known-ratings.csv line {line}: unknown council {row['council']!r}")
            continue
        key = (council, fact_round(row))
        stars = row["stars"].strip()
        if stars:
            value = NR if stars == "not rated" else int(stars)
            if inputs.star_pins.setdefault(key, value) != value:
                problems.append(f"known-ratings.csv line {line}: {council} stars disagree")
        cells = {f: row[f].strip() for f in FIELDS if row[f].strip()}
        pinned = inputs.judgement_pins.setdefault(key, {})
        for name, value in cells.items():
            if pinned.setdefault(name, value) != value:
                problems.append(f"known-ratings.csv line {line}: {council} {name} disagrees")
    for fact in inputs.later:
        # A fact whose year is in doubt ("2004 or 2005") is honoured in the first year it
        # may mean; the check says it holds in one of them.
        key = (aliases[fact.council], later_round(fact))
        if fact.stars is not None and inputs.star_pins.setdefault(key, fact.stars) != fact.stars:
            problems.append(f"more-facts line {fact.line}: {fact.council} stars disagree")
        pinned = inputs.judgement_pins.setdefault(key, {})
        for name, value in fact.judgements.items():
            if pinned.setdefault(name, value) != value:
                problems.append(f"more-facts line {fact.line}: {fact.council} {name} disagrees")
    for (council, round_), stars in STAR_HINTS.items():
        if inputs.star_pins.setdefault((council, round_), stars) != stars:
            problems.append(f"star hint for {council} {ROUNDS[round_]} contradicts a fact")
    for (council, round_), cells in JUDGEMENT_HINTS.items():
        pinned = inputs.judgement_pins.setdefault((council, round_), {})
        for name, value in cells.items():
            if pinned.setdefault(name, value) != value:
                problems.append(f"judgement hint for {council} {ROUNDS[round_]} contradicts a fact")
    if problems:
        raise GenerationError("\n".join(problems))
    return inputs


# --- a small simulated-annealing engine ----------------------------------------------------


class Annealer:
    """Simulated annealing over councils x slots of small integers.

    ``contributions(values)`` gives the indices of the statistics a council's values add
    one to; ``global_cost(stats)`` scores the statistics; ``penalty(i, values)`` scores one
    council alone. ``allowed[i][s]`` lists the values slot ``s`` of council ``i`` may take
    (one value: pinned).
    """

    def __init__(self, values, allowed, size, contributions, global_cost, penalty, rng):
        self.values = [list(v) for v in values]
        self.allowed = allowed
        self.contributions = contributions
        self.global_cost = global_cost
        self.penalty = penalty
        self.rng = rng
        self.stats = [0] * size
        self.contrib = []
        self.pen = []
        for i, vals in enumerate(self.values):
            indices = contributions(vals)
            self.contrib.append(indices)
            for index in indices:
                self.stats[index] += 1
            self.pen.append(penalty(i, vals))
        self.slots = len(self.values[0])
        self.free = [
            [i for i in range(len(self.values)) if len(allowed[i][s]) > 1]
            for s in range(self.slots)
        ]
        self.cost = self.global_cost(self.stats) + sum(self.pen)

    def _set(self, changes):
        touched = sorted({i for i, _, _ in changes})
        stats = self.stats
        for i in touched:
            for index in self.contrib[i]:
                stats[index] -= 1
        for i, s, v in changes:
            self.values[i][s] = v
        pen_change = 0.0
        for i in touched:
            indices = self.contributions(self.values[i])
            self.contrib[i] = indices
            for index in indices:
                stats[index] += 1
            new_pen = self.penalty(i, self.values[i])
            pen_change += new_pen - self.pen[i]
            self.pen[i] = new_pen
        return pen_change

    def _propose(self):
        rng = self.rng
        s = rng.randrange(self.slots)
        free = self.free[s]
        if len(free) < 2:
            return None
        draw = rng.random()
        if draw < 0.3 and self.slots > 2:
            # swap two councils' histories from a slot on (or up to it): keeps every count
            i, j = rng.sample(free, 2)
            span = range(s, self.slots) if rng.random() < 0.5 else range(0, s + 1)
            move = []
            for t in span:
                vi, vj = self.values[i][t], self.values[j][t]
                if vi == vj:
                    continue
                if vj not in self.allowed[i][t] or vi not in self.allowed[j][t]:
                    return None
                move += [(i, t, vj), (j, t, vi)]
            return move or None
        if draw < 0.7:
            i, j = rng.sample(free, 2)
            vi, vj = self.values[i][s], self.values[j][s]
            if vi == vj or vj not in self.allowed[i][s] or vi not in self.allowed[j][s]:
                return None
            return [(i, s, vj), (j, s, vi)]
        i = rng.choice(free)
        v = rng.choice(self.allowed[i][s])
        if v == self.values[i][s]:
            return None
        return [(i, s, v)]

    def run(self, iterations, start_temperature, end_temperature):
        best_cost, best = self.cost, [list(v) for v in self.values]
        ratio = end_temperature / start_temperature
        pen_total = sum(self.pen)
        for step in range(iterations):
            move = self._propose()
            if move is None:
                continue
            temperature = start_temperature * ratio ** (step / iterations)
            old = [(i, s, self.values[i][s]) for i, s, _ in move]
            pen_change = self._set(move)
            new_cost = self.global_cost(self.stats) + pen_total + pen_change
            delta = new_cost - self.cost
            if delta <= 0 or self.rng.random() < math.exp(-delta / temperature):
                self.cost = new_cost
                pen_total += pen_change
                if new_cost < best_cost - 1e-9:
                    best_cost, best = new_cost, [list(v) for v in self.values]
            else:
                self._set(old)
        # restore the best state seen
        for i, vals in enumerate(best):
            for s, v in enumerate(vals):
                if self.values[i][s] != v:
                    self._set([(i, s, v)])
        self.cost = self.global_cost(self.stats) + sum(self.pen)
        return self.cost


# --- 1. stars ------------------------------------------------------------------------------

_N = 25  # stats: counts n(slot, value) at slot*5+value, then transitions


def _n(slot, value):
    return slot * 5 + value


def _t(pair, a, b):
    return _N + pair * 25 + a * 5 + b


_UP = [[_t(p, a, b) for a in range(4) for b in range(4) if b > a] for p in range(4)]
_DOWN = [[_t(p, a, b) for a in range(4) for b in range(4) if b < a] for p in range(4)]
HARD = 10.0


def _star_contributions(vals):
    return [
        *(_n(s, v) for s, v in enumerate(vals)),
        *(_t(p, vals[p], vals[p + 1]) for p in range(4)),
    ]


def _star_global_cost(stats):
    cost = 0
    for slot, counts in STAR_COUNTS.items():
        for value, target in enumerate(counts):
            cost += abs(stats[_n(slot, value)] - target)
    cost += abs(stats[_n(Y2005, NR)] - NOT_RATED_2005)
    up = [sum(stats[i] for i in _UP[p]) for p in range(4)]
    down = [sum(stats[i] for i in _DOWN[p]) for p in range(4)]
    cost += abs(up[0] - REFRESH_UP) + abs(down[0] - REFRESH_DOWN)
    cost += abs(up[1] - MOVES_2003[0]) + abs(down[1] - MOVES_2003[1])
    cost += abs(down[2] - DOWN_2004)
    cost += abs(up[3] - MOVES_2005[0]) + abs(down[3] - MOVES_2005[1])
    cost += abs(stats[_t(3, 3, 2)] - THREE_TO_TWO_2005)
    cost += stats[_t(3, 3, 1)] + stats[_t(3, 3, 0)]
    cost += abs(sum(stats[_t(3, 0, b)] for b in (1, 2, 3)) - ZERO_ROSE_2005)
    return HARD * cost


def solve_stars(inputs: Inputs, rng: random.Random) -> dict[str, list[int]]:
    councils = inputs.councils
    pins = inputs.star_pins
    # Where a published list is complete, no other council may take that value.
    complete = {MAY: (0, 3), Y2003: (0, 3), Y2004: (0,), Y2005: (0,)}
    allowed = []
    for council in councils:
        row = []
        for slot in range(5):
            if (council, slot) in pins:
                row.append((pins[(council, slot)],))
                continue
            values = [0, 1, 2, 3] + ([NR] if slot == Y2005 else [])
            for value in complete.get(slot, ()):
                values.remove(value)
            if slot == NOV and pins.get((council, MAY)) in (0, 3):
                # the May zero and three-star lists all held after the refresh (the zero-star
                # councils of 2002 were the May ten plus two; the May three-star councils
                # were all three-star again in 2003)
                values = [pins[(council, MAY)]]
            if slot == Y2005 and inputs.region[council] == ONLY_ONE_STAR_2005_REGION[0]:
                values = [v for v in values if v in (2, 3, NR)]
            row.append(tuple(values))
        allowed.append(row)

    def penalty(i, vals):
        cost = 0.0
        if abs(vals[NOV] - vals[MAY]) > 1:
            cost += 5 * HARD
        last_move = vals[NOV] - vals[MAY]
        for a in (NOV, Y2003, Y2004):
            b = a + 1
            if NR in (vals[a], vals[b]):
                continue
            move = vals[b] - vals[a]
            if abs(move) > 1:
                cost += 8 * (abs(move) - 1)  # ratings are persistent: rarely two stars at once
            if move * last_move < 0:
                cost += 0.5  # and seldom up one year, down the next
            last_move = move or last_move
        if vals[Y2005] == NR and vals[Y2004] not in (1, 2):
            cost += 2 * HARD  # BBC restated 2004 without the unrated: all had one or two stars
        if councils[i] in NOT_UP_2005 and vals[Y2005] != NR and vals[Y2005] > vals[Y2004]:
            cost += 2 * HARD
        return cost

    for attempt in range(20):
        quality = {c: rng.gauss(0, 1) for c in councils}
        values = [[0] * 5 for _ in councils]
        for slot in range(5):
            counts = list(STAR_COUNTS[slot]) + ([NOT_RATED_2005] if slot == Y2005 else [])
            free = []
            for i in range(len(councils)):
                if len(allowed[i][slot]) == 1:
                    values[i][slot] = allowed[i][slot][0]
                    counts[values[i][slot]] -= 1
                else:
                    free.append(i)
            free.sort(key=lambda i: -(quality[councils[i]] + rng.gauss(0, 0.3)))
            pool = [v for v in (3, 2, 1, 0) for _ in range(max(0, counts[v]))]
            if slot == Y2005 and counts[NR] > 0:
                pool.insert(rng.randrange(len(pool) + 1), NR)
            for position, i in enumerate(free):
                wanted = pool[min(position, len(pool) - 1)] if pool else 1
                options = allowed[i][slot]
                values[i][slot] = min(options, key=lambda v, w=wanted: (abs(v - w), v))
        annealer = Annealer(
            values, allowed, _N + 100, _star_contributions, _star_global_cost, penalty, rng
        )
        annealer.run(400_000, 4.0, 0.05)
        if _star_global_cost(annealer.stats) == 0 and all(p < HARD for p in annealer.pen):
            return {c: annealer.values[i] for i, c in enumerate(councils)}
        print(f"stars: attempt {attempt + 1} ended at cost {annealer.cost:.1f}; retrying")
    raise GenerationError("could not meet the star counts and movements")


# --- 2. pathfinders ------------------------------------------------------------------------


def choose_pathfinders(inputs, stars, rng) -> list[str]:
    real = sorted(REAL_PATHFINDERS)
    two_plus = sum(stars[c][Y2004] >= 2 for c in real)
    others = [c for c in inputs.councils if c not in REAL_PATHFINDERS]
    high = [c for c in others if stars[c][Y2004] >= 2]
    one = [c for c in others if stars[c][Y2004] == 1]  # Ealing is the only zero-star one
    need_high = PATHFINDERS_TWO_PLUS - two_plus
    need_one = PATHFINDERS - len(real) - need_high
    if need_high < 0 or need_one < 0 or any(stars[c][Y2004] == 0 for c in real if c != "Ealing"):
        raise GenerationError("the named pathfinders cannot fit 28 of 35 with two or three stars")
    chosen = real + rng.sample(high, need_high) + rng.sample(one, need_one)
    return sorted(chosen)


# --- 3. judgements -------------------------------------------------------------------------


def _distance(a: rules.Judgements, b: rules.Judgements) -> int:
    total = 0
    for name in FIELDS:
        levels = SERVING if name.endswith("serving") else PROSPECTS
        total += abs(levels.index(getattr(a, name)) - levels.index(getattr(b, name)))
    return total


def _prior(j: rules.Judgements) -> float:
    return -sum(
        math.log(SERVING_PRIOR[j.serving(s)]) + math.log(PROSPECTS_PRIOR[j.prospects(s)])
        for s in rules.SERVICES
    )


def _all_combinations() -> list[rules.Judgements]:
    return [
        rules.Judgements(a, ap, c, cp)
        for a in SERVING
        for ap in PROSPECTS
        for c in SERVING
        for cp in PROSPECTS
    ]


FEATURES = ("a_most", "c_most", "a_good", "c_good", "c_uncertain", "c_up", "c_down")


def _features(j: rules.Judgements, previous: rules.Judgements | None, slot: int) -> list[int]:
    found = []
    if j.adults_serving in MOST:
        found.append(0)
    if j.children_serving in MOST:
        found.append(1)
    if j.adults_prospects in GOOD_PROSPECTS:
        found.append(2)
    if j.children_prospects in GOOD_PROSPECTS:
        found.append(3)
    if j.children_prospects == "uncertain":
        found.append(4)
    if slot == Y2005 and previous is not None:
        change = SERVING.index(j.children_serving) - SERVING.index(previous.children_serving)
        if change > 0:
            found.append(5)
        elif change < 0:
            found.append(6)
    return found


def candidates_for(council, slot, stars, pins, pathfinders) -> list[rules.Judgements]:
    table = rules.star_table(METHODOLOGY[slot])
    outcome = (council, slot) in PUBLISHED_OUTCOMES
    found = []
    for j in _all_combinations():
        # A published outcome the table cannot give: any judgements but those that would
        # make the table agree (that is, an invented failure).
        if (table[j] == stars) == outcome:
            continue
        if any(getattr(j, name) != value for name, value in pins.items()):
            continue
        if slot == Y2004:
            if j.adults_serving == "no":
                continue  # no council not serving adults well in 2004
            if j.children_serving == "no" and pins.get("children_serving") != "no":
                continue  # exactly the five named councils
            if (
                council in pathfinders
                and council not in PATHFINDERS_UNCERTAIN
                and j.children_prospects not in GOOD_PROSPECTS
            ):
                continue
            if j.children_serving in MOST and (
                (stars == 1 and council != ONLY_ONE_STAR_MOST_CHILDREN_2004)
                or (stars == 0 and council != ONLY_ZERO_STAR_MOST_CHILDREN_2004)
            ):
                continue
        if slot == Y2005:
            if j.adults_serving == "no":
                continue
            if j.children_serving == "no" and pins.get("children_serving") != "no":
                continue  # exactly Plymouth and Sandwell
            if j.children_prospects == "poor" and pins.get("children_prospects") != "poor":
                continue  # the Isles of Scilly only
        found.append(j)
    return found


def solve_judgements(inputs, stars, pathfinders, rng):
    """The judgements of every council in every round it is rated (None when not rated)."""
    councils = inputs.councils
    result = {c: [None] * 5 for c in councils}
    rerated = {c for c in councils if stars[c][NOV] != stars[c][MAY]}
    for slot in range(5):
        if slot == NOV:
            active = [c for c in councils if c in rerated]
        else:
            active = [c for c in councils if stars[c][slot] != NR]
        targets = SHARE_TARGETS[slot]
        target_list = [targets.get(name, (0, 0)) for name in FEATURES]
        fixed = [0] * len(FEATURES)
        if slot == NOV:  # councils not re-rated keep their May judgements
            for c in councils:
                if c not in rerated:
                    for f in _features(result[c][MAY], None, NOV):
                        fixed[f] += 1
        options = []
        for c in active:
            pins = dict(inputs.judgement_pins.get((c, slot), {}))
            if slot == MAY and c not in rerated:
                for name, value in inputs.judgement_pins.get((c, NOV), {}).items():
                    if pins.setdefault(name, value) != value:
                        raise GenerationError(f"{c}: May and November 2002 judgements disagree")
            found = candidates_for(c, slot, stars[c][slot], pins, pathfinders)
            if not found:
                raise GenerationError(
                    f"no combination of judgements gives {c} {stars[c][slot]} stars in "
                    f"{ROUNDS[slot]} with the known judgements {pins}"
                )
            previous = None
            if slot == NOV:
                previous = result[c][MAY]
            elif slot == Y2003:
                previous = result[c][NOV] or result[c][MAY]
            elif slot in (Y2004, Y2005):
                previous = result[c][slot - 1]
            weight = 1.0 if slot == NOV else 0.5
            options.append(
                [
                    (
                        j,
                        _features(j, previous, slot),
                        _prior(j)
                        + (weight * _distance(j, previous) if previous else 0.0)
                        + 0.8 * rng.random(),  # a council's own leanings, for variety
                    )
                    for j in found
                ]
            )
        best_choice = _anneal_choices(options, fixed, target_list, rng)
        for i, c in enumerate(active):
            result[c][slot] = options[i][best_choice[i]][0]
    return result


def _anneal_choices(options, fixed, targets, rng, iterations=60_000) -> list[int]:
    """Pick one option per council: (judgements, feature indices, soft cost) each.

    The cost is the distance of the feature counts from their targets (weighted) plus the
    options' soft costs; simulated annealing over single changes, best state kept.
    """

    def share_cost(counts):
        return sum(w * abs(counts[f] - t) for f, (t, w) in enumerate(targets) if w)

    choice = [min(range(len(opts)), key=lambda k, o=opts: o[k][2]) for opts in options]
    counts = list(fixed)
    for i, k in enumerate(choice):
        for f in options[i][k][1]:
            counts[f] += 1
    soft = sum(options[i][k][2] for i, k in enumerate(choice))
    cost = share_cost(counts) + soft
    best_cost, best_choice = cost, list(choice)
    movable = [i for i, opts in enumerate(options) if len(opts) > 1]
    for step in range(iterations if movable else 0):
        temperature = 2.0 * (0.01 / 2.0) ** (step / iterations)
        i = rng.choice(movable)
        k = rng.randrange(len(options[i]))
        old = choice[i]
        if k == old:
            continue
        for f in options[i][old][1]:
            counts[f] -= 1
        for f in options[i][k][1]:
            counts[f] += 1
        new_soft = soft - options[i][old][2] + options[i][k][2]
        new_cost = share_cost(counts) + new_soft
        delta = new_cost - cost
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            choice[i], cost, soft = k, new_cost, new_soft
            if cost < best_cost - 1e-9:
                best_cost, best_choice = cost, list(choice)
        else:
            for f in options[i][k][1]:
                counts[f] -= 1
            for f in options[i][old][1]:
                counts[f] += 1
    return best_choice


def rating_in_force(stars, judgements, council, slot):
    """Stars and judgements in force after a round (the refresh keeps unchanged councils)."""
    if slot == NOV and stars[council][NOV] == stars[council][MAY]:
        return stars[council][MAY], judgements[council][MAY]
    return stars[council][slot], judgements[council][slot]


# --- 4. special measures -------------------------------------------------------------------


def special_measures(councils, stars) -> dict[str, list[bool]]:
    """On special measures after each round: zero stars on, one or more off, not rated keeps."""
    state = {}
    for c in councils:
        on = []
        previous = False
        for slot in range(5):
            value = stars[c][slot]
            now = rules.on_special_measures_after(
                was_on=previous, stars=None if value == NR else value
            )
            on.append(now)
            previous = now
        state[c] = on
    return state


# --- 5. CPA --------------------------------------------------------------------------------

# Real CPA results the evidence gives beyond known-cpa.csv (evidence.md 6.4).
PF_2004_12 = (
    "https://www.publicfinance.co.uk/news/2004/12/town-hall-ratings-soar-third-set-cpa-results"
)
CC_2005_01_07 = (
    "Community Care 7 January 2005 ('Integrated children's services must have social care "
    "focus, say directors'); https://www.communitycare.co.uk/2005/01/07/"
    "integrated-childrens-services-must-have-social-care-focus-say-directors/"
)
PN_2003_12_18 = "http://www.publicnet.co.uk/news/2003/12/18/more-councils-in-top-cpa-categories/"
EXTRA_CPA_FACTS = {
    ("Ealing", 2003): ("fair", f"Public Finance December 2004 (demoted from fair); {PF_2004_12}"),
    ("Isles of Scilly", 2003): (
        "fair",
        f"Public Finance December 2004 (demoted from fair like Ealing); {PF_2004_12}",
    ),
    ("East Sussex", 2003): (
        "good",
        f"publicnet 18 December 2003 (weak to good on social care improvements); {PN_2003_12_18}",
    ),
    ("Windsor and Maidenhead", 2003): (
        "good",
        f"publicnet 18 December 2003 (weak to good on social care improvements); {PN_2003_12_18}",
    ),
    ("Kingston upon Hull", 2003): (
        "poor",
        f"{CC_2005_01_07} (poor since 2002; the only poor council in 2004)",
    ),
}
# evidence.md 6.2: Cumbria "weak despite an overall service score of 3".
EXTRA_CORE_SCORES = {("Cumbria", 2004): 3}


@dataclass
class CPARow:
    council: str
    year: int
    category: str
    education: int
    childrens_social_care: int
    core: int
    note: str = ""
    source: str = ""


def solve_cpa(inputs, stars, rng) -> list[CPARow]:
    councils = inputs.councils
    years = (2003, 2004)
    slot_of = {2003: Y2003, 2004: Y2004}
    known = {}
    for row in inputs.cpa_facts:
        council = inputs.aliases[row["council"].strip()]
        known[(council, int(row["year"]))] = row
    csc = {(c, y): stars[c][slot_of[y]] + 1 for c in councils for y in years}

    # Education 2004: the published gaps against children's social care.
    gap = {}
    low = [c for c in councils if stars[c][Y2004] <= 1]
    forced = [c for c in ("Ealing", "Cumbria") if c in low]  # services scored 3 overall
    rest = [c for c in low if c not in forced]
    for c in forced + rng.sample(rest, EDUCATION_GAPS_2004[2] - len(forced)):
        gap[c] = 2
    remaining = [c for c in councils if c not in gap]
    three = [c for c in remaining if stars[c][Y2004] == 3]
    two = [c for c in remaining if stars[c][Y2004] == 2]
    for c in rng.sample(three, 5) + rng.sample(two, EDUCATION_GAPS_2004[-1] - 5):
        gap[c] = -1
    remaining = [c for c in councils if c not in gap and stars[c][Y2004] <= 2]
    for c in rng.sample(remaining, EDUCATION_GAPS_2004[1]):
        gap[c] = 1
    education = {}
    for c in councils:
        e2004 = csc[(c, 2004)] + gap.get(c, 0)
        education[(c, 2004)] = e2004
        draw = rng.random()
        e2003 = e2004 - 1 if draw < 0.22 else e2004 + 1 if draw > 0.95 else e2004
        # the same spread of gaps as 2004: at most two above, one below, and within 1-4
        low_2003, high_2003 = csc[(c, 2003)] - 1, csc[(c, 2003)] + 2
        education[(c, 2003)] = min(4, high_2003, max(1, low_2003, e2003))

    # Categories: pinned facts; allowed sets from the published caps; the rest by annealing.
    quality = {c: rng.gauss(0, 0.7) for c in councils}
    pinned = {}
    for (c, y), row in known.items():
        pinned[(c, y)] = CPA_CATEGORIES.index(row["category"].strip())
    for (c, y), (category, _) in EXTRA_CPA_FACTS.items():
        pinned[(c, y)] = CPA_CATEGORIES.index(category)
    allowed = []
    for c in councils:
        row = []
        for y in years:
            if (c, y) in pinned:
                row.append((pinned[(c, y)],))
                continue
            s = stars[c][slot_of[y]]
            values = list(range(5))
            if s == 0:
                values = [3, 4]  # no better than weak
            elif s == 1 or education[(c, y)] < 3:
                values.remove(0)  # excellent needs better than one star in both
            if y == 2004 and 4 in values:
                values.remove(4)  # Kingston upon Hull the only poor council
            if y == 2004 and s == 0:
                values = [3]
            row.append(tuple(values))
        allowed.append(row)

    # Where each council would sit on its scores alone: the category at its rank.
    expected = {}
    for y in years:
        score = {
            c: stars[c][slot_of[y]] + 0.5 * education[(c, y)] + quality[c] + rng.gauss(0, 0.3)
            for c in councils
        }
        order = sorted(councils, key=lambda c: (-score[c], c))
        position = 0
        for k, count in enumerate(CPA_COUNTS[y]):
            for c in order[position : position + count]:
                expected[(c, y)] = k
            position += count

    def contributions(vals):
        return [vals[0], 5 + vals[1], 10 + vals[0] * 5 + vals[1]]

    def global_cost(stats):
        cost = 0.0
        for k in range(5):
            cost += HARD * abs(stats[k] - CPA_COUNTS[2003][k])
            cost += HARD * abs(stats[5 + k] - CPA_COUNTS[2004][k])
        up = sum(stats[10 + a * 5 + b] for a in range(5) for b in range(5) if b < a)
        down = sum(stats[10 + a * 5 + b] for a in range(5) for b in range(5) if b > a)
        wp_up = sum(stats[10 + a * 5 + b] for a in (3, 4) for b in range(5) if b < a)
        cost += 2 * abs(up - CPA_MOVES_2004["up"]) + 2 * abs(down - CPA_MOVES_2004["down"])
        cost += 2 * abs(wp_up - CPA_MOVES_2004["weak_or_poor_up"])
        return cost

    def penalty(i, vals):
        c = councils[i]
        cost = 0.3 * sum((vals[k] - expected[(c, y)]) ** 2 for k, y in enumerate(years))
        jump = abs(vals[1] - vals[0])
        return cost + (1.5 * (jump - 1) ** 2 if jump > 1 else 0)

    values = []
    for i, c in enumerate(councils):
        values.append(
            [
                min(allowed[i][k], key=lambda v, e=expected[(c, y)]: (abs(v - e), v))
                for k, y in enumerate(years)
            ]
        )
    annealer = Annealer(values, allowed, 35, contributions, global_cost, penalty, rng)
    annealer.run(200_000, 3.0, 0.02)
    for _ in range(5):  # the movements are soft in the cost, but the check wants them exact
        if global_cost(annealer.stats) == 0:
            break
        annealer.run(200_000, 1.0, 0.02)
    stats = annealer.stats
    for k in range(5):
        if stats[k] != CPA_COUNTS[2003][k] or stats[5 + k] != CPA_COUNTS[2004][k]:
            raise GenerationError("could not meet the CPA category counts")

    rows = []
    for i, c in enumerate(councils):
        for k, y in enumerate(years):
            category = CPA_CATEGORIES[annealer.values[i][k]]
            s = stars[c][slot_of[y]]
            fact = known.get((c, y))
            core = _core_score(category, s, education[(c, y)], rng)
            note = source = ""
            if fact is not None:
                source = fact["source"].strip()
                note = fact["note"].strip()
                if fact["core_service_score"].strip():
                    core = int(fact["core_service_score"])
            elif (c, y) in EXTRA_CPA_FACTS:
                source = EXTRA_CPA_FACTS[(c, y)][1]
            core = EXTRA_CORE_SCORES.get((c, y), core)
            if s == 0 and category == "weak" and core >= 3 and not note:
                note = CAPPED_NOTE
            rows.append(CPARow(c, y, category, education[(c, y)], csc[(c, y)], core, note, source))
    rows.sort(key=lambda r: (r.year, councils.index(r.council)))
    return rows


def _core_score(category, stars, education, rng) -> int:
    """A plausible overall core service score (1-4) for a category."""
    draw = rng.random()
    if category == "excellent":
        return 3 if draw < 0.15 else 4
    if category == "good":
        return 4 if draw < 0.15 else 3
    if category == "fair":
        return 2 if draw < 0.45 else 3
    if category == "weak":
        if stars == 0 and education >= 3 and draw < 0.35:
            return 3  # would have been better but for the zero-star cap
        return 1 if draw > 0.85 else 2
    return 2 if draw < 0.3 else 1


# --- 6. indicator values -------------------------------------------------------------------

INDICATORS = DATA / "indicators.csv"
KEY_CAPS = DATA / "key-indicator-caps.csv"
ROUND_OF_YEAR = {2002: NOV, 2003: Y2003, 2004: Y2004, 2005: Y2005}


INDICATOR_YEARS = (2002, 2003, 2004, 2005)
# Small councils where one person would swing the figure: exempt from the key thresholds.
EXEMPT_COUNCILS = ("City of London", "Isles of Scilly")
EXEMPT_NOTE = "small council: exempt from the key thresholds (one person would swing the figure)"
# The Victoria Climbie inquiry reported in January 2003; there was no self-audit for 2002.
NO_VALUE = {("KI-CH-CLIMBIE", 2002): "no self-audit before the Climbie inquiry report (2003)"}
# Somerset lost a star in the November 2002 refresh on the children's homes key indicator.
FORCED_FAILURES = {
    ("Somerset", "KI-CH-HOMES", 2002): "children's homes not all inspected as required "
    "(Community Care, 21 November 2002; the value is sample data)"
}
FAIL_CHANCE = {0: 0.3, 1: 0.12, 2: 0.04, 3: 0.01}  # per key indicator a council may fail
BAND_CUTS = (-1.2, -0.4, 0.4, 1.2)  # performance score -> band 1-5


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    unit: str
    polarity: str
    cuts: tuple[float, ...]

    @property
    def binary(self) -> bool:
        return self.unit.startswith("1 =")

    @property
    def decimals(self) -> int:
        if self.binary or self.unit.startswith("£ per") and "hour" not in self.unit:
            return 0
        if "100,000" in self.unit:
            return 0
        return 2 if "hour" in self.unit else 1

    def limits(self) -> tuple[float, float]:
        width = (self.cuts[-1] - self.cuts[0]) / 3
        low, high = max(0.0, self.cuts[0] - width), self.cuts[-1] + width
        if self.unit == "%":
            high = min(high, 100.0)
        return low, high

    def band(self, value: float) -> int:
        """Band 1-5, 5 the best; a value on a cut point goes to the better band."""
        if self.polarity == "lower":
            return 5 - sum(value > cut for cut in self.cuts)
        return 1 + sum(value >= cut for cut in self.cuts)

    def interval(self, band: int) -> tuple[float, float]:
        """The values of a band (band 1 the worst; for neutral ones, the lowest)."""
        low, high = self.limits()
        edges = (low, *self.cuts, high)
        k = band - 1 if self.polarity != "lower" else 5 - band
        return edges[k], edges[k + 1]


def read_indicators() -> tuple[list[Indicator], dict[tuple[str, str], dict[str, str]]]:
    indicators = [
        Indicator(
            row["code"].strip(),
            row["domain"].strip(),
            row["unit"].strip(),
            row["polarity"].strip(),
            tuple(float(x) for x in row["band_thresholds"].split(";")),
        )
        for row in read_csv(INDICATORS)
    ]
    caps = {
        (row["indicator"].strip(), row["methodology_version"].strip()): row
        for row in read_csv(KEY_CAPS)
    }
    return indicators, caps


def fails(indicator: Indicator, cap: dict[str, str], value: float | None, exempt: bool) -> bool:
    return (
        rules.key_indicator_cap(
            indicator_code=indicator.code,
            service=cap["service"].strip(),
            maximum=cap["maximum"].strip(),
            threshold=float(cap["threshold"]),
            higher_is_better=indicator.polarity != "lower",
            value=value,
            exempt=exempt,
        )
        is not None
    )


def judgements_in_year(stars, judgements, council, year) -> list[rules.Judgements]:
    """The judgements a year's indicator values stand behind (2002: May and the refresh)."""
    if year == 2002:
        found = [judgements[council][MAY]]
        if stars[council][NOV] != stars[council][MAY]:
            found.append(judgements[council][NOV])
        return found
    j = judgements[council][ROUND_OF_YEAR[year]]
    return [] if j is None else [j]


def may_fail(cap, found: list[rules.Judgements]) -> bool:
    """Whether failing the key indicator leaves every judgement within its cap."""
    service, maximum = cap["service"].strip(), cap["maximum"].strip()
    return all(SERVING.index(j.serving(service)) <= SERVING.index(maximum) for j in found)


def solve_indicator_values(inputs, stars, judgements, rng) -> dict[int, list[list[str]]]:
    indicators, caps = read_indicators()
    councils = inputs.councils
    quality = {c: rng.gauss(0, 1) for c in councils}
    lasting = {(c, i.code): rng.gauss(0, 0.5) for c in councils for i in indicators}
    service_of_domain = {"children-and-families": "children", "adults-and-older-people": "adults"}
    files = {}
    for year in INDICATOR_YEARS:
        rows = []
        slot = MAY if year == 2002 else ROUND_OF_YEAR[year]
        for c in councils:
            s, j = stars[c][slot], judgements[c][slot]
            if s == NR:  # not rated in 2005: the council's 2004 performance
                s, j = stars[c][Y2004], judgements[c][Y2004]
            found = judgements_in_year(stars, judgements, c, year)
            for indicator in indicators:
                cap = caps.get((indicator.code, str(year)))
                exempt = cap is not None and c in EXEMPT_COUNCILS
                note = EXEMPT_NOTE if exempt else ""
                if (indicator.code, year) in NO_VALUE:
                    rows.append([c, indicator.code, "", "no", NO_VALUE[(indicator.code, year)]])
                    continue
                service = service_of_domain.get(indicator.domain)
                level = SERVING.index(j.serving(service)) if service else 1.5 + (s - 1.5) / 2
                score = (
                    0.9 * (level - 1.6)
                    + 0.3 * (s - 1.6)
                    + 0.35 * quality[c]
                    + lasting[(c, indicator.code)]
                    + rng.gauss(0, 0.6)
                )
                if indicator.polarity == "neutral":  # costs: higher in London
                    score = rng.gauss(0, 1) + lasting[(c, indicator.code)]
                    score += 0.9 if inputs.region[c] == "London" else 0
                band = 1 + sum(score > cut for cut in BAND_CUTS)
                value = _value_in_band(indicator, band, rng)
                if cap is not None:
                    forced = FORCED_FAILURES.get((c, indicator.code, year))
                    allowed = may_fail(cap, found) or exempt
                    if forced is not None:
                        if not allowed:
                            raise GenerationError(f"{c} cannot fail {indicator.code} in {year}")
                        want_fail, note = True, forced
                    elif not allowed:
                        want_fail = False
                    elif exempt and indicator.code == "A1":
                        want_fail = True  # one child's moves swing a tiny council's figure
                    else:
                        stars_now = s if s in FAIL_CHANCE else 1
                        want_fail = rng.random() < FAIL_CHANCE[stars_now]
                    failing = fails(indicator, cap, value, False)
                    if want_fail != failing:
                        value = _value_on_side(indicator, cap, want_fail, rng)
                    if fails(indicator, cap, value, exempt) and not allowed:
                        raise GenerationError(f"{c} {indicator.code} {year} breaks its cap")
                rows.append([c, indicator.code, _format(indicator, value), _yes(exempt), note])
        files[year] = rows
    return files


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _format(indicator: Indicator, value: float) -> str:
    return f"{value:.{indicator.decimals}f}"


def _rounded(indicator: Indicator, value: float) -> float:
    return float(_format(indicator, value))


def _value_in_band(indicator: Indicator, band: int, rng) -> float:
    if indicator.binary:
        return 1.0 if band >= 2 else 0.0
    low, high = indicator.interval(band)
    for _ in range(20):
        value = _rounded(indicator, rng.uniform(low, high))
        if indicator.band(value) == band or indicator.polarity == "neutral":
            return value
    return _rounded(indicator, (low + high) / 2)


def _value_on_side(indicator: Indicator, cap, fail: bool, rng) -> float:
    """A value near the key threshold that fails it (or meets it)."""
    if indicator.binary:
        return 0.0 if fail else 1.0
    threshold = float(cap["threshold"])
    low, high = indicator.limits()
    above = fail == (indicator.polarity == "lower")  # the side of the threshold wanted
    room = max(high - threshold if above else threshold - low, 20 * 10**-indicator.decimals)
    for _ in range(100):
        offset = rng.random() ** 2 * room
        value = threshold + offset if above else threshold - offset
        if indicator.unit == "%":
            value = min(value, 100.0)
        value = _rounded(indicator, max(value, 0.0))
        if fails(indicator, cap, value, False) == fail:
            return value
    raise GenerationError(
        f"no value of {indicator.code} {'fails' if fail else 'meets'} {threshold}"
    )


def indicator_inputs_ready() -> bool:
    return INDICATORS.exists() and KEY_CAPS.exists()


# --- checks --------------------------------------------------------------------------------


def check(inputs, stars, judgements, special, pathfinders, cpa) -> list[str]:
    """Every constraint the sample data must meet; the problems found, if any."""
    problems = []
    councils = inputs.councils

    def star_counts(slot_values):
        counts = Counter(slot_values)
        return tuple(counts.get(v, 0) for v in range(4))

    in_force_nov = {c: rating_in_force(stars, judgements, c, NOV) for c in councils}
    for slot, target in STAR_COUNTS.items():
        found = star_counts(stars[c][slot] for c in councils)
        if found != target:
            problems.append(f"{ROUNDS[slot]}: star counts {found}, not {target}")
    nr = [c for c in councils if stars[c][Y2005] == NR]
    if len(nr) != NOT_RATED_2005:
        problems.append(f"2005: {len(nr)} not rated, not {NOT_RATED_2005}")

    def moves(a, b):
        up = down = 0
        for c in councils:
            x, y = stars[c][a], stars[c][b]
            if NR in (x, y):
                continue
            up += y > x
            down += y < x
        return up, down

    rerated = [c for c in councils if stars[c][NOV] != stars[c][MAY]]
    if len(rerated) != 18 or moves(MAY, NOV) != (REFRESH_UP, REFRESH_DOWN):
        problems.append(f"refresh: {len(rerated)} re-rated, moves {moves(MAY, NOV)}")
    if any(abs(stars[c][NOV] - stars[c][MAY]) != 1 for c in rerated):
        problems.append("refresh: a council moved by more than one star")
    if moves(NOV, Y2003) != MOVES_2003:
        problems.append(f"2003 moves {moves(NOV, Y2003)}, not {MOVES_2003}")
    if moves(Y2003, Y2004)[1] != DOWN_2004:
        problems.append(f"2004: {moves(Y2003, Y2004)[1]} down, not {DOWN_2004}")
    if moves(Y2004, Y2005) != MOVES_2005:
        problems.append(f"2005 moves {moves(Y2004, Y2005)}, not {MOVES_2005}")
    threes = [c for c in councils if stars[c][Y2004] == 3]
    if sum(stars[c][Y2005] == 2 for c in threes) != THREE_TO_TWO_2005:
        problems.append("2005: not exactly four three-star councils fell to two")
    if any(stars[c][Y2005] in (0, 1) for c in threes):
        problems.append("2005: a three-star council fell below two")
    zeros = [c for c in councils if stars[c][Y2004] == 0]
    if sum(stars[c][Y2005] not in (0, NR) for c in zeros) != ZERO_ROSE_2005:
        problems.append("2005: not six of 2004's zero-star councils rose")

    # the facts
    for line, row in enumerate(inputs.facts, start=2):
        c = inputs.aliases[row["council"]]
        slot = fact_round(row)
        s, j = in_force_nov[c] if slot == NOV else (stars[c][slot], judgements[c][slot])
        want = row["stars"].strip()
        if want and want != ("not rated" if s == NR else str(s)):
            problems.append(f"fact line {line}: {c} {ROUNDS[slot]} stars {s}, not {want}")
        for name in FIELDS:
            if row[name].strip() and (j is None or getattr(j, name) != row[name].strip()):
                problems.append(f"fact line {line}: {c} {ROUNDS[slot]} {name} differs")
        sm = row["special_measures"].strip()
        on = special[c][slot]
        if sm == "yes" and not on:
            problems.append(f"fact line {line}: {c} should be on special measures")
        if sm == "left" and (on or (slot > MAY and not special[c][slot - 1])):
            problems.append(f"fact line {line}: {c} should have left special measures")

    for fact in inputs.later:
        c = inputs.aliases[fact.council]
        rounds = [
            later_round(later_facts.LaterFact(**{**fact.__dict__, "year": y}))
            for y in fact.possible_years
        ]
        held = []
        for slot in rounds:
            s, j = in_force_nov[c] if slot == NOV else (stars[c][slot], judgements[c][slot])
            held.append(
                (fact.stars is None or s == fact.stars)
                and all(j is not None and getattr(j, n) == v for n, v in fact.judgements.items())
            )
        if not any(held):
            problems.append(f"more-facts line {fact.line}: {c} {fact.year} does not hold")

    # 2004: the only one- and zero-star councils serving most children well
    for s, only in ((1, ONLY_ONE_STAR_MOST_CHILDREN_2004), (0, ONLY_ZERO_STAR_MOST_CHILDREN_2004)):
        found = [
            c
            for c in councils
            if stars[c][Y2004] == s and judgements[c][Y2004].children_serving in MOST
        ]
        if found != [only]:
            problems.append(f"2004: {s}-star councils serving most children well: {found}")
    if judgements["Ealing"][Y2004].children_prospects != "uncertain":
        problems.append("2004: Ealing's children's capacity is not uncertain")

    # judgements agree with the table
    for c in councils:
        for slot in range(5):
            s, j = stars[c][slot], judgements[c][slot]
            if slot == NOV and c not in rerated:
                continue
            if s == NR:
                if j is not None:
                    problems.append(f"{c} 2005 not rated but has judgements")
                continue
            if (c, slot) in PUBLISHED_OUTCOMES:
                try:
                    rules.published_outcome(
                        j,
                        stars=s,
                        note=PUBLISHED_OUTCOMES[(c, slot)],
                        methodology=METHODOLOGY[slot],
                    )
                except rules.RulesError as error:
                    problems.append(f"{c} {ROUNDS[slot]}: not a published outcome: {error}")
            elif rules.rate(j, methodology=METHODOLOGY[slot]).stars != s:
                problems.append(f"{c} {ROUNDS[slot]}: judgements do not give {s} stars")

    # judgement shares
    def share(slot, test):
        rows = [
            in_force_nov[c][1] if slot == NOV else judgements[c][slot]
            for c in councils
            if stars[c][slot] != NR
        ]
        return sum(test(j) for j in rows), len(rows)

    def within(slot, label, test, percent, tolerance=2.0, low=None, high=None):
        count, total = share(slot, test)
        value = 100 * count / total
        lo = percent - tolerance if low is None else low
        hi = percent + tolerance if high is None else high
        if not lo <= value <= hi:
            problems.append(f"{ROUNDS[slot]}: {label} {value:.1f}%, not {lo}-{hi}%")

    for slot in (MAY, NOV):
        within(slot, "most adults", lambda j: j.adults_serving in MOST, 100 / 3)
        within(slot, "most children", lambda j: j.children_serving in MOST, 100 / 3)
    within(Y2004, "most adults", lambda j: j.adults_serving in MOST, 60)
    within(Y2004, "most children", lambda j: j.children_serving in MOST, 0, low=50.01, high=55)
    within(Y2004, "children's prospects", lambda j: j.children_prospects in GOOD_PROSPECTS, 81)
    within(Y2004, "adults' prospects", lambda j: j.adults_prospects in GOOD_PROSPECTS, 91)
    within(Y2005, "most adults", lambda j: j.adults_serving in MOST, 77)
    within(Y2005, "most children", lambda j: j.children_serving in MOST, 63)
    five = {"Bedfordshire", "Birmingham", "Cumbria", "Plymouth", "Swindon"}
    if {c for c in councils if judgements[c][Y2004].children_serving == "no"} != five:
        problems.append("2004: the councils not serving children well are not the five")
    for slot in (Y2004, Y2005):
        if any(j and j.adults_serving == "no" for j in (judgements[c][slot] for c in councils)):
            problems.append(f"{ROUNDS[slot]}: a council not serving adults well")
    rated = [c for c in councils if stars[c][Y2005] != NR]
    if {c for c in rated if judgements[c][Y2005].children_serving == "no"} != {
        "Plymouth",
        "Sandwell",
    }:
        problems.append("2005: not serving children well is not exactly Plymouth and Sandwell")
    if [c for c in rated if judgements[c][Y2005].children_prospects == "poor"] != [
        "Isles of Scilly"
    ]:
        problems.append("2005: poor children's prospects is not the Isles of Scilly alone")

    # special measures follow the rule
    for c in councils:
        previous = None
        for slot in range(5):
            s = stars[c][slot]
            if s == NR:
                if special[c][slot] != previous:
                    problems.append(f"{c} {ROUNDS[slot]}: not rated must keep special measures")
            elif special[c][slot] != (s == 0):
                problems.append(f"{c} {ROUNDS[slot]}: special measures do not follow the stars")
            previous = special[c][slot]

    # pathfinders
    if len(pathfinders) != PATHFINDERS or not set(REAL_PATHFINDERS) <= set(pathfinders):
        problems.append("pathfinders: not 35 including the named ones")
    if sum(stars[c][Y2004] >= 2 for c in pathfinders) != PATHFINDERS_TWO_PLUS:
        problems.append("pathfinders: not 28 with two or three stars")

    # CPA
    for year, target in CPA_COUNTS.items():
        found = Counter(r.category for r in cpa if r.year == year)
        if tuple(found.get(k, 0) for k in CPA_CATEGORIES) != target:
            problems.append(f"CPA {year}: counts {dict(found)}, not {target}")
    gaps = Counter()
    for r in cpa:
        s = stars[r.council][Y2003 if r.year == 2003 else Y2004]
        if s == 0 and r.category not in ("weak", "poor"):
            problems.append(f"CPA {r.year}: {r.council} has zero stars but is {r.category}")
        if r.childrens_social_care != s + 1:
            problems.append(f"CPA {r.year}: {r.council} children's social care is not stars + 1")
        if not all(1 <= v <= 4 for v in (r.education, r.childrens_social_care, r.core)):
            problems.append(f"CPA {r.year}: {r.council} score outside 1-4")
        if r.year == 2004:
            difference = r.education - r.childrens_social_care
            gaps[
                2 if difference == 2 else 1 if difference == 1 else 0 if not difference else -1
            ] += 1
            if difference > 2:
                problems.append(f"CPA 2004: {r.council} education more than two points higher")
    if not (28 <= gaps[2] <= 31 and gaps[1] == 68 and gaps[-1] == 6):
        problems.append(f"CPA 2004 education gaps {dict(gaps)}")
    category = {(r.council, r.year): r for r in cpa}
    for fact in inputs.cpa_facts:
        row = category[(inputs.aliases[fact["council"].strip()], int(fact["year"]))]
        core = fact["core_service_score"].strip()
        if row.category != fact["category"].strip() or (core and row.core != int(core)):
            problems.append(f"CPA fact {fact['council']} {fact['year']} does not hold")
    rank = {c: CPA_CATEGORIES.index(category[(c, 2003)].category) for c in councils}
    change = {c: rank[c] - CPA_CATEGORIES.index(category[(c, 2004)].category) for c in councils}
    moved = (
        sum(d > 0 for d in change.values()),
        sum(d < 0 for d in change.values()),
        sum(change[c] > 0 for c in councils if rank[c] >= 3),
    )
    if moved != tuple(CPA_MOVES_2004.values()):
        problems.append(f"CPA 2004 moves (up, down, weak or poor up) {moved}")
    return problems


def check_indicator_values(inputs, stars, judgements, values) -> list[str]:
    """No council fails a key indicator whose cap its judgement is above."""
    problems = []
    indicators, caps = read_indicators()
    by_code = {i.code: i for i in indicators}
    for year, rows in values.items():
        if len(rows) != len(inputs.councils) * len(indicators):
            problems.append(f"indicator values {year}: not one per council and indicator")
        failing_low = set()
        for council, code, value, exempt, _ in rows:
            cap = caps.get((code, str(year)))
            if cap is None or value == "":
                continue
            if fails(by_code[code], cap, float(value), exempt == "yes"):
                found = judgements_in_year(stars, judgements, council, year)
                if not may_fail(cap, found):
                    problems.append(f"{council} fails {code} in {year} above its cap")
                slot = MAY if year == 2002 else ROUND_OF_YEAR[year]
                if stars[council][slot] in (0, 1):
                    failing_low.add(council)
        if len(failing_low) < 5:
            problems.append(f"indicator values {year}: too few low-rated councils fail")
    return problems


# --- writing -------------------------------------------------------------------------------

RATING_COLUMNS = ("council", *FIELDS, "stars", "special_measures")
OUTCOME_COLUMNS = ("published_outcome", "published_outcome_note")


def write_csv(path: Path, columns, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)


def rating_row(council, stars, j, on_special_measures, outcome=None):
    if stars == NR:
        cells = ["", "", "", "", "not rated"]
    else:
        cells = [*(getattr(j, name) for name in FIELDS), str(stars)]
    row = [council, *cells, "yes" if on_special_measures else "no"]
    if outcome is not None:
        row += ["yes", outcome] if outcome else ["", ""]
    return row


def write_outputs(out: Path, inputs, stars, judgements, special, pathfinders, cpa) -> None:
    councils = inputs.councils
    files = {
        "ratings-2002-may.csv": (MAY, councils),
        "ratings-2002-november.csv": (NOV, [c for c in councils if stars[c][NOV] != stars[c][MAY]]),
        "ratings-2003.csv": (Y2003, councils),
        "ratings-2004.csv": (Y2004, councils),
        "ratings-2005.csv": (Y2005, councils),
    }
    for name, (slot, which) in files.items():
        # Only a round with a published outcome has the columns that say so, as an export.
        outcomes = any(s == slot for _, s in PUBLISHED_OUTCOMES)
        write_csv(
            out / name,
            RATING_COLUMNS + (OUTCOME_COLUMNS if outcomes else ()),
            [
                rating_row(
                    c,
                    stars[c][slot],
                    judgements[c][slot],
                    special[c][slot],
                    PUBLISHED_OUTCOMES.get((c, slot), "") if outcomes else None,
                )
                for c in which
            ],
        )
    write_csv(
        out / "cpa.csv",
        (
            "council",
            "year",
            "category",
            "education_score",
            "childrens_social_care_score",
            "core_service_score",
            "note",
            "source",
        ),
        [
            [
                r.council,
                r.year,
                r.category,
                r.education,
                r.childrens_social_care,
                r.core,
                r.note,
                r.source,
            ]
            for r in cpa
        ],
    )
    write_csv(
        out / "group-memberships.csv",
        ("group", "council", "year", "is_sample", "source"),
        [
            [
                PATHFINDER_GROUP,
                c,
                2004,
                "no" if c in REAL_PATHFINDERS else "yes",
                REAL_PATHFINDERS.get(c, ""),
            ]
            for c in pathfinders
        ],
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    args = parser.parse_args(argv)
    try:
        inputs = read_inputs()
        stars = solve_stars(inputs, stage_rng("stars"))
        pathfinders = choose_pathfinders(inputs, stars, stage_rng("pathfinders"))
        judgements = solve_judgements(inputs, stars, pathfinders, stage_rng("judgements"))
        special = special_measures(inputs.councils, stars)
        cpa = solve_cpa(inputs, stars, stage_rng("cpa"))
        values = None
        if indicator_inputs_ready():
            values = solve_indicator_values(inputs, stars, judgements, stage_rng("indicators"))
        else:
            print("indicators.csv or key-indicator-caps.csv missing: no indicator values")
        problems = check(inputs, stars, judgements, special, pathfinders, cpa)
        if values is not None:
            problems += check_indicator_values(inputs, stars, judgements, values)
        if problems:
            raise GenerationError("\n".join(problems))
    except GenerationError as error:
        print(f"sample data NOT written:\n{error}", file=sys.stderr)
        return 1
    write_outputs(args.out, inputs, stars, judgements, special, pathfinders, cpa)
    for year, rows in (values or {}).items():
        write_csv(
            args.out / f"indicator-values-{year}.csv",
            ("council", "indicator", "value", "exempt", "note"),
            rows,
        )
    print(f"sample data written to {args.out}")
    for slot, name in enumerate(("May 2002", "after the refresh", "2003", "2004", "2005")):
        found = Counter(stars[c][slot] for c in inputs.councils)
        line = " / ".join(str(found[s]) for s in range(4))
        print(f"  {name}: {line} stars" + (f", {found[NR]} not rated" if found[NR] else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
