"""The league table page's rows in one hand-written, parameterised query.

The ORM form of the same rows is ``selectors.round_ratings``; this one exists because at
15,000 councils building, compiling and filling in the annotated queryset cost more than
running it (docs/adr/0005-league-table-sql.md says when to drop it). The embargo in it is
the gate's own SQL (``ratings.embargo.public_round_sql`` and ``public_revision_sql``), and
``tests/test_selectors.py`` compares its rows with the ORM's for every sort and filter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from django.db import connection

from .. import embargo, provenance, rules
from ..models import (
    AssessmentRound,
    Council,
    Group,
    GroupMembership,
    Rating,
    Region,
    ServiceJudgement,
)
from .revisions import UNKNOWN


@dataclass(frozen=True, slots=True)
class LeagueRegion:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class LeagueCouncil:
    id: int
    name: str
    slug: str
    council_type: str
    region_id: int
    region: LeagueRegion


@dataclass(frozen=True, slots=True)
class LeagueRow:
    """One council's current rating in a league table: what the page and the downloads
    show, with the shape of a ``round_ratings`` row (``row.council.region.name``,
    ``row.adults_serving``, ``row.change``...)."""

    id: int
    round: AssessmentRound
    council: LeagueCouncil
    revision: int
    status: str
    stars: int | None
    on_special_measures: bool
    adults_serving: str | None
    adults_prospects: str | None
    children_serving: str | None
    children_prospects: str | None
    previous_stars: int | None
    previous_on_special_measures: bool | None
    # Whether the stars and judgements are published or sample (``league_rows(...,
    # with_provenance=True)``); None when not asked for.
    provenance: provenance.RatingProvenance | None = None

    @property
    def pk(self) -> int:
        return self.id

    @property
    def council_id(self) -> int:
        return self.council.id

    @property
    def round_id(self) -> int:
        return self.round.pk

    @property
    def change(self) -> str:
        """ "up", "down", "same", or "" when either round has no stars (as round_ratings)."""
        if self.stars is None or self.previous_stars is None:
            return ""
        if self.stars > self.previous_stars:
            return "up"
        return "down" if self.stars < self.previous_stars else "same"

    @property
    def change_by(self) -> int | None:
        if self.stars is None or self.previous_stars is None:
            return None
        return self.stars - self.previous_stars


# What each sortable column sorts on: (SQL expression, its parameters, the joins it needs).
# Judgements sort by their rank on the scale, change by the stars gained; councils without
# a value come last either way, ties in council name order.
def _rank(column: str, levels: tuple[str, ...]) -> tuple[str, list]:
    whens = " ".join(f"WHEN %s THEN {index}" for index in range(len(levels)))
    return f"CASE {column} {whens} END", list(levels)


_JUDGEMENT_SORTS = {
    f"{service}_{field}": (*_rank(f"{alias}.{field}", levels), alias)
    for service, alias in zip(rules.SERVICES, ("ja", "jc"), strict=True)
    for field, levels in (("serving", rules.SERVING_LEVELS), ("prospects", rules.PROSPECT_LEVELS))
}
LEAGUE_SORTS: dict[str, tuple[str, list, str | None]] = {
    "council": ("c.name", [], None),
    "stars": ("r.stars", [], None),
    **_JUDGEMENT_SORTS,
    "change": ("r.stars - p.stars", [], "p"),
    "previous": ("p.stars", [], "p"),
    "on_special_measures": ("r.on_special_measures", [], None),
    "region": ("g.name", [], "g"),
    "council_type": ("c.council_type", [], None),
}
LEAGUE_CHANGES = {
    "up": "r.stars > p.stars",
    "down": "r.stars < p.stars",
    "same": "r.stars = p.stars",
}
# The revision shown is the latest visible one: no later revision of the same council in
# the round is visible. A later revision is never revision 1, so it always has its own
# publication time (the check constraint revision_after_first_has_publication_time): the
# embargo's revision test on it is a plain comparison (``timed``), which the
# (round, published_at) index answers directly. Two equivalent forms, each the one its
# database's planner runs best: SQLite builds the list of superseded revisions once
# instead of probing an index per council; PostgreSQL, with NOT EXISTS, walks the councils
# in name order and stops after a page. Both take the round, then the embargo's
# parameters.
_LATEST = {
    "sqlite": """{a}.id NOT IN (
        SELECT s.id FROM {rating} l
        JOIN {rating} s
        ON s.round_id = l.round_id AND s.council_id = l.council_id AND s.revision < l.revision
        WHERE l.round_id = %s AND {visible}
    )""",
    "default": """NOT EXISTS (
        SELECT 1 FROM {rating} l
        WHERE l.round_id = {a}.round_id AND l.round_id = %s AND l.council_id = {a}.council_id
        AND l.revision > {a}.revision AND {visible}
    )""",
}


def _latest(t: dict, alias: str, round_id, now) -> tuple[str, list]:
    """``alias`` (a rating of round ``round_id``) has no later visible revision."""
    visible, visible_params = embargo.public_revision_sql("l", now, timed=True)
    sql = _LATEST.get(connection.vendor, _LATEST["default"])
    return sql.format(a=alias, visible=visible, **t), [round_id, *visible_params]


def _current_in(t: dict, round_id, now) -> tuple[str, list]:
    """The embargo, as conditions on ``r`` (a rating) joined to ``ar`` (its round): ``r``
    is the current revision of a council in round ``round_id``, which is published."""
    round_public, round_params = embargo.public_round_sql("ar", now)
    visible, visible_params = embargo.public_revision_sql("r", now)
    latest, latest_params = _latest(t, "r", round_id, now)
    return (
        f"r.round_id = %s AND {round_public} AND {visible} AND {latest}",
        [round_id, *round_params, *visible_params, *latest_params],
    )


# The previous round's current revision of each council, two ways. To sort or filter on
# the change over every council: a LEFT JOIN with the embargo in its ON clause, which
# each database joins as it likes (a correlated subquery per council was twice as slow
# on PostgreSQL at 15,000 councils; a derived table was never indexed by SQLite). For the
# page's own rows: a correlated subquery per row and value on the (round, council,
# revision) unique index (cheaper to plan and run than a join for a page of 200). Both
# take the previous round's id, then the embargo's parameters (round, then revision).
_PREVIOUS_TABLE = """LEFT JOIN {rating} p ON p.council_id = r.council_id AND p.round_id = (
    SELECT pr.id FROM {round} pr WHERE pr.id = %s AND {round_public}
) AND {visible} AND {latest}"""
_PREVIOUS_VALUE = """(
    SELECT p.{column} FROM {rating} p
    WHERE p.round_id = (SELECT pr.id FROM {round} pr WHERE pr.id = %s AND {round_public})
    AND p.council_id = r.council_id AND {visible}
    ORDER BY p.revision DESC LIMIT 1
)"""


def _previous(t: dict, template: str, previous_id, now, **extra) -> tuple[str, list]:
    round_public, round_params = embargo.public_round_sql("pr", now)
    visible, visible_params = embargo.public_revision_sql("p", now)
    sql = template.format(round_public=round_public, visible=visible, **t, **extra)
    return sql, [previous_id, *round_params, *visible_params]


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "rating": quote(Rating._meta.db_table),
        "round": quote(AssessmentRound._meta.db_table),
        "council": quote(Council._meta.db_table),
        "region": quote(Region._meta.db_table),
        "judgement": quote(ServiceJudgement._meta.db_table),
        "group": quote(Group._meta.db_table),
        "membership": quote(GroupMembership._meta.db_table),
    }


def league_rows(
    round: AssessmentRound,
    now=None,
    *,
    previous=UNKNOWN,
    filters: Mapping | None = None,
    order_by: str | Sequence[str] = "council",
    offset: int = 0,
    limit: int | None = None,
    with_provenance: bool = False,
) -> tuple[list[LeagueRow], int]:
    """The league table page's rows: one per council, its current revision in ``round``,
    filtered, sorted and sliced in SQL; and how many councils match in all.

    The same rows and the same embargo as :func:`round_ratings` (the round scheduled and
    its publication time passed; for each council the latest revision whose own
    publication time has passed; the previous published round likewise), without the
    ORM's cost of building, compiling and instantiating an annotated queryset: one
    hand-written, parameterised query, plus a ``COUNT`` only when a page is full or not
    the first.

    ``filters`` are the league table form's cleaned data: ``region`` (slug), ``type``,
    ``stars`` (a list of "0".."3"), ``special_measures`` ("yes"/"no"), ``group`` (slug,
    membership in the round's year) and ``change`` (a list of "up", "down", "same"); empty
    values filter nothing. ``order_by`` is a column name of :data:`LEAGUE_SORTS`, "-" in
    front for descending, or a sequence of them. Unknown names raise ``ValueError``:
    nothing a visitor sends is ever put into the SQL, only into its parameters.

    ``with_provenance``: each row's ``provenance`` too (``ratings.provenance``), for one
    more query in a sample round (the facts of the page's councils), none otherwise.
    """
    now = embargo.now(now)
    if previous is UNKNOWN:
        previous = embargo.previous_published_round(round, now)
    t = _tables()
    filters = filters or {}

    # WHERE: the embargo, then the filters.
    current, current_params = _current_in(t, round.pk, now)
    where = [current]
    where_params: list = current_params
    needs: set[str] = set()
    if region := filters.get("region"):
        where.append(f"c.region_id IN (SELECT rg.id FROM {t['region']} rg WHERE rg.slug = %s)")
        where_params.append(region)
        needs.add("c")
    if council_type := filters.get("type"):
        where.append("c.council_type = %s")
        where_params.append(council_type)
        needs.add("c")
    if stars := [int(s) for s in filters.get("stars") or ()]:
        where.append(f"r.stars IN ({', '.join(['%s'] * len(stars))})")
        where_params.extend(stars)
    if (special := filters.get("special_measures")) in ("yes", "no"):
        where.append("r.on_special_measures = %s")
        where_params.append(special == "yes")
    if group := filters.get("group"):
        where.append(
            f"""EXISTS (
                SELECT 1 FROM {t["membership"]} m JOIN {t["group"]} gr ON gr.id = m.group_id
                WHERE m.council_id = r.council_id AND m.year = %s AND gr.slug = %s
            )"""
        )
        where_params.extend([round.year, group])
    if changes := filters.get("change"):
        unknown = set(changes) - set(LEAGUE_CHANGES)
        if unknown:
            raise ValueError(f"Unknown change: {sorted(unknown)}")
        where.append("(" + " OR ".join(LEAGUE_CHANGES[c] for c in changes) + ")")
        needs.add("p")

    # ORDER BY: whitelisted expressions only, then the council's name (unique). The page's
    # keys carry the values sorted on (o0, o1...), so the page's rows sort on them again.
    sort_keys, sort_params, order, page_order = [], [], [], []
    for index, alias in enumerate([order_by] if isinstance(order_by, str) else list(order_by)):
        name = alias.removeprefix("-")
        if name not in LEAGUE_SORTS:
            raise ValueError(f"Unknown league table column: {alias!r}")
        expression, params, join = LEAGUE_SORTS[name]
        direction = "DESC" if alias.startswith("-") else "ASC"
        sort_keys.append(f"{expression} AS o{index}")
        sort_params.extend(params)
        order.append(f"o{index} {direction} NULLS LAST")
        page_order.append(f"k.o{index} {direction} NULLS LAST")
        if join:
            needs.add(join)
    order += ["c.name ASC", "c.id ASC"]
    page_order += ["c.name ASC", "c.id ASC"]

    previous_id = previous.pk if previous else None
    previous_latest, previous_latest_params = _latest(t, "p", previous_id, now)
    previous_table, previous_table_params = _previous(
        t, _PREVIOUS_TABLE, previous_id, now, latest=previous_latest
    )
    judgement_join = (
        "LEFT JOIN {judgement} {alias} ON {alias}.rating_id = r.id AND {alias}.service = %s"
    )
    joins = {
        "g": (f"JOIN {t['region']} g ON g.id = c.region_id", []),
        "ja": (judgement_join.format(alias="ja", **t), [rules.SERVICES[0]]),
        "jc": (judgement_join.format(alias="jc", **t), [rules.SERVICES[1]]),
        "p": (previous_table, [*previous_table_params, *previous_latest_params]),
    }

    def from_(aliases) -> tuple[str, list]:
        sql = [f"FROM {t['rating']} r", f"JOIN {t['round']} ar ON ar.id = r.round_id"]
        if "c" in aliases:
            sql.append(f"JOIN {t['council']} c ON c.id = r.council_id")
        params: list = []
        for alias in ("g", "ja", "jc", "p"):
            if alias in aliases:
                sql.append(joins[alias][0])
                params.extend(joins[alias][1])
        return "\n".join(sql), params

    # The page's keys first (filtered and sorted over every council, with only the joins
    # the filters and the sort need), then everything shown, for those keys only.
    key_from, key_from_params = from_(needs | {"c"})  # the council's name breaks ties
    keys = (
        f"SELECT {', '.join(['r.id', *sort_keys])} {key_from} WHERE {' AND '.join(where)} "
        f"ORDER BY {', '.join(order)}"
    )
    key_params = [*sort_params, *key_from_params, *where_params]
    if limit is not None or offset:
        keys += " LIMIT %s OFFSET %s"
        key_params += [2**62 if limit is None else limit, offset]  # no "LIMIT ALL" in SQLite
    previous_stars, previous_value = _previous(t, _PREVIOUS_VALUE, previous_id, now, column="stars")
    previous_special, _ = _previous(
        t, _PREVIOUS_VALUE, previous_id, now, column="on_special_measures"
    )
    sql = f"""SELECT r.id, r.revision, r.status, r.stars, r.on_special_measures,
        c.id, c.name, c.slug, c.council_type, c.region_id, g.name,
        ja.serving, ja.prospects, jc.serving, jc.prospects,
        {previous_stars},
        {previous_special}
    FROM ({keys}) k
    JOIN {t["rating"]} r ON r.id = k.id
    JOIN {t["council"]} c ON c.id = r.council_id
    JOIN {t["region"]} g ON g.id = c.region_id
    {joins["ja"][0]}
    {joins["jc"][0]}
    ORDER BY {", ".join(page_order)}"""
    params = [*previous_value, *previous_value, *key_params, *joins["ja"][1], *joins["jc"][1]]

    regions: dict[int, LeagueRegion] = {}
    rows = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for (
            id, revision, status, stars, special,
            council_id, name, slug, council_type, region_id, region_name,
            adults_serving, adults_prospects, children_serving, children_prospects,
            previous_stars, previous_special,
        ) in cursor.fetchall():  # fmt: skip
            region = regions.get(region_id)
            if region is None:
                region = regions[region_id] = LeagueRegion(region_id, region_name)
            rows.append(
                LeagueRow(
                    id,
                    round,
                    LeagueCouncil(council_id, name, slug, council_type, region_id, region),
                    revision,
                    status,
                    stars,
                    bool(special),
                    adults_serving,
                    adults_prospects,
                    children_serving,
                    children_prospects,
                    previous_stars,
                    None if previous_special is None else bool(previous_special),
                )
            )
        if (rows or not offset) and (limit is None or len(rows) < limit):
            total = offset + len(rows)
        else:
            count_from, count_from_params = from_(needs & {"c", "p"})
            cursor.execute(
                f"SELECT COUNT(*) {count_from} WHERE {' AND '.join(where)}",
                [*count_from_params, *where_params],
            )
            total = cursor.fetchone()[0]
    if with_provenance and rows:
        # Each row is its council's latest public revision: no query for which that is.
        found = provenance.provenance_for(rows, now, includes_latest=True)
        rows = [replace(row, provenance=found[row.id]) for row in rows]
    return rows, total


def league_filter_choices(year: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The league table filters' choices, in one query: every region, and the groups with
    members in ``year``, each as (slug, name) in name order."""
    t = _tables()
    rows: dict[str, list[tuple[str, str]]] = {"region": [], "group": []}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT 'region', slug, name FROM {t["region"]}
            UNION ALL
            SELECT 'group', g.slug, g.name FROM {t["group"]} g
            WHERE EXISTS (
                SELECT 1 FROM {t["membership"]} m WHERE m.group_id = g.id AND m.year = %s
            )
            ORDER BY 1, 3""",
            [year],
        )
        for kind, slug, name in cursor.fetchall():
            rows[kind].append((slug, name))
    return rows["region"], rows["group"]
