"""The league table (django-tables2) over ``selectors.round_ratings``.

Every column sorts in the database on a field or an annotation (judgements by their rank
on the scale, not alphabetically; change by the number of stars gained), with councils
that have no value last and ties in name order. Cells are rendered with ``format_html``:
no per-cell templates, so 1,500 rows render quickly.
"""

from __future__ import annotations

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from . import presenters

NOT_JUDGED = "Not judged"


def _ordered(queryset, field: str, is_descending: bool):
    expression = F(field).desc(nulls_last=True) if is_descending else F(field).asc(nulls_last=True)
    return queryset.order_by(expression, "council__name", "council_id"), True


class _RoundTable(tables.Table):
    """What the page and the downloads share: the round, and how each column sorts."""

    # What each column sorts on.
    ORDERING = {
        "council": "council__name",
        "stars": "stars",
        "adults_serving": "adults_serving_rank",
        "adults_prospects": "adults_prospects_rank",
        "children_serving": "children_serving_rank",
        "children_prospects": "children_prospects_rank",
        "change": "change_by",
        "on_special_measures": "on_special_measures",
        "region": "council__region__name",
        "council_type": "council__council_type",
    }

    def __init__(self, *args, round=None, **kwargs):
        self.round = round
        super().__init__(*args, **kwargs)

    def _order(name):  # noqa: N805 - a factory for the order_FOO methods below
        def order(self, queryset, is_descending):
            return _ordered(queryset, self.ORDERING[name], is_descending)

        order.__name__ = f"order_{name}"
        return order

    order_council = _order("council")
    order_stars = _order("stars")
    order_adults_serving = _order("adults_serving")
    order_adults_prospects = _order("adults_prospects")
    order_children_serving = _order("children_serving")
    order_children_prospects = _order("children_prospects")
    order_change = _order("change")
    order_on_special_measures = _order("on_special_measures")
    order_region = _order("region")
    order_council_type = _order("council_type")
    del _order


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
        return presenters.stars_html(record.stars)

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
        """The records of the page shown. Beyond one page, two queries: the page's keys
        (filtered and sorted over every council, but with no more annotations than the
        filters and the sort need), then the annotated rows of those keys only, so the
        judgement and previous-round subqueries run for one page, not for every council."""
        page = getattr(self, "page", None)
        if page is None:
            return list(self.data)
        records = page.object_list.data
        if self.paginator.num_pages == 1 or not isinstance(records, QuerySet):
            return list(records)
        keys = list(records.values_list("pk", flat=True))
        found = {r.pk: r for r in self.data.data.filter(pk__in=keys).order_by()}
        return [found[key] for key in keys if key in found]

    def html_rows(self) -> str:
        """The page's rows as HTML, cells in column order, by the render_ methods above.
        django-tables2's own cell rendering inspects each method's signature for every
        cell, which made up most of the page's time. Cells that depend on one value (the
        stars, each judgement, the type...) are rendered once per distinct value."""
        council_url = reverse("council-year", args=["__slug__", self.round.year]).split("__slug__")

        def council(r):
            c = r.council
            return (
                f'<a class="govuk-link" href="{council_url[0]}{escape(c.slug)}'
                f'{council_url[1]}">{escape(c.name)}</a>'
            )

        def once(render, attribute):
            done = {}

            def cell(r):
                value = getattr(r, attribute)
                try:
                    return done[value]
                except KeyError:
                    done[value] = html = conditional_escape(render(value))
                    return html

            return cell

        def judged(render):
            return lambda value: render(value) if value else NOT_JUDGED

        changes = {}

        def change(r):
            key = (r.change, r.previous_stars, r.stars)
            if key not in changes:
                changes[key] = conditional_escape(self.render_change(r))
            return changes[key]

        regions = {}

        def region(r):
            c = r.council
            if c.region_id not in regions:
                regions[c.region_id] = escape(c.region.name)
            return regions[c.region_id]

        types = {}

        def council_type(r):
            value = r.council.council_type
            if value not in types:
                types[value] = conditional_escape(self.render_council_type(value))
            return types[value]

        cells = {
            "council": council,
            "stars": once(presenters.stars_html, "stars"),
            "adults_serving": once(judged(self.render_adults_serving), "adults_serving"),
            "adults_prospects": once(judged(self.render_adults_prospects), "adults_prospects"),
            "children_serving": once(judged(self.render_children_serving), "children_serving"),
            "children_prospects": once(
                judged(self.render_children_prospects), "children_prospects"
            ),
            "change": change,
            "on_special_measures": once(self.render_on_special_measures, "on_special_measures"),
            "region": region,
            "council_type": council_type,
        }
        header, *data = [cells[column.name] for column in self.columns]
        # Every cell is escaped above; a cell's HTML never goes through format() again.
        template = (
            '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
            "{}</th>" + "".join('<td class="govuk-table__cell">{}</td>' for _ in data) + "</tr>"
        )
        rows = [
            template.format(header(r), *[cell(r) for cell in data]) for r in self.page_records()
        ]
        return mark_safe("\n".join(rows))


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
    del _plain
