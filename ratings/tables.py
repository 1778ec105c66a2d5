"""The league table (django-tables2) over ``selectors.league_rows``.

django-tables2 draws the column headers and their sort links, and the downloads; the rows
are read by :class:`LeagueRows`, which hands the sort and the page to
``selectors.league_rows`` (one hand-written query, sorted and sliced in the database), so
no queryset is built for the page. Every column sorts (judgements by their rank on the
scale, not alphabetically; change by the number of stars gained), with councils that have
no value last and ties in name order: see ``selectors.LEAGUE_SORTS``. Cells are rendered
with ``format_html``: no per-cell templates, so a page of 200 rows renders quickly.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape as escape_text
from operator import attrgetter

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django_tables2.data import TableData
from django_tables2.export import TableExport
from tablib import Dataset

from . import presenters
from .downloads import spreadsheet_cell

NOT_JUDGED = "Not judged"
# Far more rows than any round has; an offset beyond it is a page that cannot exist, and
# the databases refuse an OFFSET past 2**63 - 1 (SQLite with OverflowError).
MAX_OFFSET = 2**31 - 1


class LeagueRows(TableData):
    """The table's data, read on demand through ``fetch(order_by=, offset=, limit=)``
    (``selectors.league_rows`` with the round and the filters bound), which returns the
    rows and the number of councils matching in all.

    django-tables2 sets the sort (``order_by``), the paginator asks for the length and
    then the page's slice. The first of those reads the page asked for (``page`` and
    ``per_page``), so the usual page costs one query (two when the rows fill a page or the
    page is not the first, for the count); a read that covers a later slice is reused.
    """

    model = None  # no model: the columns' headers are their own

    def __init__(self, fetch: Callable, *, page=1, per_page: int | None = None):
        super().__init__(data=None)
        self.fetch = fetch
        self.sort: tuple[str, ...] = ("council",)
        try:
            page = max(1, int(page))
        except (TypeError, ValueError):
            page = 1
        self.hint = ((page - 1) * per_page, per_page) if per_page else (0, None)
        if self.hint[0] > MAX_OFFSET:
            # Read the first page for the count: the paginator then finds no such page.
            self.hint = (0, per_page)
        self.reads: list[tuple[int, list, bool]] = []  # (offset, rows, reached the end)
        self.total: int | None = None

    def order_by(self, aliases):
        self.sort = tuple(aliases) or ("council",)
        self.reads, self.total = [], None

    def _rows(self, start: int, stop: int | None) -> list:
        for offset, rows, ended in self.reads:
            if offset <= start and (ended or (stop is not None and stop <= offset + len(rows))):
                return rows[start - offset : None if stop is None else stop - offset]
        limit = None if stop is None else max(0, stop - start)
        rows, self.total = self.fetch(order_by=self.sort, offset=start, limit=limit)
        self.reads.append((start, rows, limit is None or len(rows) < limit))
        return rows

    def __len__(self) -> int:
        if self.total is None:
            offset, limit = self.hint
            self._rows(offset, None if limit is None else offset + limit)
        return self.total

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step not in (None, 1) or (key.start or 0) < 0 or (key.stop or 0) < 0:
                return list(self)[key]
            return self._rows(key.start or 0, key.stop)
        return self._rows(key, key + 1)[0]

    def __iter__(self):
        return iter(self._rows(0, None))


class _RoundTable(tables.Table):
    """What the page and the downloads share: the round."""

    def __init__(self, *args, round=None, **kwargs):
        self.round = round
        super().__init__(*args, **kwargs)


class LeagueTable(_RoundTable):
    council = tables.Column("Council", accessor="council__name")
    stars = tables.Column("Stars", empty_values=())
    adults_serving = tables.Column("Adults: serving people well", default=NOT_JUDGED)
    adults_prospects = tables.Column("Adults: prospects", default=NOT_JUDGED)
    children_serving = tables.Column("Children: serving people well", default=NOT_JUDGED)
    children_prospects = tables.Column("Children: prospects", default=NOT_JUDGED)
    change = tables.Column("Change", empty_values=())
    on_special_measures = tables.Column("Special measures", empty_values=())
    region = tables.Column("Region", accessor="council__region__name")
    council_type = tables.Column("Type", accessor="council__council_type")

    class Meta:
        template_name = "ratings/includes/_league_table.html"
        order_by = ("council",)
        attrs = {
            "class": "govuk-table league-table",
            "thead": {"class": "govuk-table__head"},
            "tbody": {"class": "govuk-table__body"},
            "th": {"class": "govuk-table__header", "scope": "col"},
            "td": {"class": "govuk-table__cell"},
        }
        row_attrs = {"class": "govuk-table__row"}
        empty_text = "No councils match these filters."

    @property
    def caption(self) -> str:
        title = self.round.title if self.round else "Star ratings"
        return f"{title}: each council’s stars and the judgements behind them"

    def render_council(self, record):
        url = reverse("council-year", args=[record.council.slug, record.round.year])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.council.name)

    def render_stars(self, record):
        found = presenters.stars_provenance(record)
        return presenters.stars_html(record.stars) + presenters.provenance_marker(
            found.kind if found else None
        )

    def render_adults_serving(self, value):
        return presenters.serving_words(value)

    def render_children_serving(self, value):
        return presenters.serving_words(value)

    def render_adults_prospects(self, value):
        return presenters.prospects_words(value)

    def render_children_prospects(self, value):
        return presenters.prospects_words(value)

    def render_change(self, record):
        return presenters.change_words(record.change, record.previous_stars, record.stars)

    def render_on_special_measures(self, value):
        if value:
            return format_html(
                '<strong class="govuk-tag govuk-tag--red">{}</strong>', "On special measures"
            )
        return "No"

    def render_council_type(self, value):
        return presenters.council_type_label(value)

    def page_records(self) -> list:
        """The records of the page shown (every record when not paginated)."""
        page = getattr(self, "page", None)
        return list(self.data if page is None else page.object_list.data)

    def html_rows(self) -> str:
        """The page's rows as HTML, cells in column order, by the render_ methods above.
        django-tables2's own cell rendering inspects each method's signature for every
        cell, which made up most of the page's time. Cells that depend on one value (the
        stars, each judgement, the type...) are rendered once per distinct value, column
        by column."""
        records = self.page_records()
        council_url = reverse("council-year", args=["__slug__", self.round.year]).split("__slug__")

        def councils():
            # The standard library's escape, as Django's escape() does, without its
            # wrapper for lazy strings (a tenth of the rows' time).
            return [
                f'<a class="govuk-link" href="{council_url[0]}{escape_text(c.slug)}'
                f'{council_url[1]}">{escape_text(c.name)}</a>'
                for c in map(attrgetter("council"), records)
            ]

        def once(key, render):
            done = {}

            def first(value):
                # A plain str: str.format() calls a SafeString's __str__ for every cell.
                done[value] = html = str.__str__(conditional_escape(render(value)))
                return html

            return lambda: [done[k] if k in done else first(k) for k in map(key, records)]

        def judged(render):
            return lambda value: render(value) if value else NOT_JUDGED

        columns = {
            "council": councils,
            "stars": once(
                lambda record: (record.stars, _provenance_kind(record)),
                lambda key: presenters.stars_html(key[0]) + presenters.provenance_marker(key[1]),
            ),
            **{
                name: once(attrgetter(name), judged(getattr(self, f"render_{name}")))
                for name in (
                    "adults_serving",
                    "adults_prospects",
                    "children_serving",
                    "children_prospects",
                )
            },
            "change": once(
                attrgetter("change", "previous_stars", "stars"),
                lambda key: presenters.change_words(*key),
            ),
            "on_special_measures": once(
                attrgetter("on_special_measures"), self.render_on_special_measures
            ),
            # once() escapes what it is given: the name as it is, or it is escaped twice.
            "region": once(attrgetter("council.region.name"), str),
            "council_type": once(attrgetter("council.council_type"), self.render_council_type),
        }
        cells = [columns[column.name]() for column in self.columns]
        # Every cell is escaped above; a cell's HTML never goes through format() again.
        template = (
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            "{}</th>" + '<td class="govuk-table__cell">{}</td>' * (len(cells) - 1) + "</tr>"
        )
        return mark_safe("\n".join(map(template.format, *cells)))


def _provenance_kind(record) -> str | None:
    found = presenters.stars_provenance(record)
    return found.kind if found else None


class LeagueExportTable(_RoundTable):
    """The downloads: plain values under machine-readable headings."""

    council = tables.Column("council", accessor="council__name")
    region = tables.Column("region", accessor="council__region__name")
    council_type = tables.Column("type", accessor="council__council_type")
    stars = tables.Column("stars", empty_values=())
    adults_serving = tables.Column("adults_serving", empty_values=())
    adults_prospects = tables.Column("adults_prospects", empty_values=())
    children_serving = tables.Column("children_serving", empty_values=())
    children_prospects = tables.Column("children_prospects", empty_values=())
    change = tables.Column("change", empty_values=())
    on_special_measures = tables.Column("on_special_measures", empty_values=())
    is_sample = tables.Column("is_sample", accessor="round__is_sample", empty_values=())
    # Of the stars: "published" or "sample", and the published value's source.
    # The accessor is never shown (value_ methods below); the row's own provenance object
    # would be turned into text, with its facts.
    provenance = tables.Column("provenance", accessor="id", orderable=False, empty_values=())
    source = tables.Column("source", accessor="id", orderable=False, empty_values=())

    class Meta:
        order_by = ("council",)

    def value_stars(self, record):
        return record.stars

    def value_council_type(self, record):
        return record.council.council_type

    def _plain(name):  # noqa: N805
        def value(self, record):
            return presenters.export_row(record)[name]

        return value

    value_adults_serving = _plain("adults_serving")
    value_adults_prospects = _plain("adults_prospects")
    value_children_serving = _plain("children_serving")
    value_children_prospects = _plain("children_prospects")
    value_change = _plain("change")
    value_on_special_measures = _plain("on_special_measures")
    value_is_sample = _plain("is_sample")
    value_provenance = _plain("provenance")
    value_source = _plain("source")
    del _plain


class SpreadsheetSafeExport(TableExport):
    """django-tables2's export, with every cell of a download for spreadsheets (CSV, XLSX)
    through :func:`~ratings.downloads.spreadsheet_cell`, so that a name is never run as a
    formula. JSON is data, and keeps the names as they are."""

    SPREADSHEETS = frozenset({TableExport.CSV, TableExport.XLSX})

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        if self.format not in self.SPREADSHEETS:
            return dataset
        return Dataset(
            *([spreadsheet_cell(value) for value in row] for row in dataset),
            headers=dataset.headers,
            title=dataset.title,
        )
