"""The public ratings pages: rounds, league tables, national summaries, councils, compare
and search.

Every round comes from the embargo gate (``ratings.embargo``) and every rating through
``ratings.selectors`` (via ``ratings.presenters``), so nothing under embargo is shown,
downloaded or listed. The per-round pages send
Last-Modified (the round's publication or its newest visible revision) and answer
conditional requests.
"""

from __future__ import annotations

import re

from django.core.paginator import EmptyPage
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from . import badge, embargo, presenters, publications, rules, selectors
from . import materialised as national
from . import record as checked
from . import search as finder
from .councils import CouncilMatcher
from .filters import LeagueTableFilter
from .models import Council, Rating
from .page_cache import cached_public_page
from .release_calendar import site_url
from .tables import LeagueExportTable, LeagueRows, LeagueTable, SpreadsheetSafeExport

PER_PAGE = 200
MAX_COMPARED = 4
DIGITS = re.compile(r"[0-9]+")
SORT_NAME = re.compile(r"-?[a-z_]{1,40}")
PAGE_ERROR = "Page number must be a whole number, like 2"
PAGE_ZERO_ERROR = "Page number must be 1 or more"
PER_PAGE_ERROR = f"Councils per page must be a whole number from 1 to {PER_PAGE}"


def _now(request):
    """One clock reading per request, so every read on a page agrees."""
    if not hasattr(request, "ratings_now"):
        request.ratings_now = embargo.now()
    return request.ratings_now


def _rounds(request) -> list:
    """The published rounds, oldest first, from the embargo gate."""
    return embargo.published_rounds(_now(request))


def _round_or_404(request, year: int):
    round = embargo.published_round(year, _now(request))
    if round is None:
        raise Http404("No published ratings for that year.")
    return round


def _crumbs(*items):
    """Breadcrumbs: (text, url) pairs, the home page first."""
    return [("Home", reverse("home")), *items]


def _rounds_crumb():
    return ("Star ratings", reverse("rounds"))


# --- rounds -------------------------------------------------------------------------------


@require_safe
def rounds(request):
    """Every published round, with its league table and national summary."""
    return render(
        request,
        "ratings/rounds.html",
        {
            "rounds": list(reversed(_rounds(request))),
            "breadcrumbs": _crumbs(),
        },
    )


# --- the league table ---------------------------------------------------------------------


@method_decorator(require_safe, name="dispatch")
@method_decorator(cached_public_page, name="get")
class LeagueTableView(ExportMixin, SingleTableMixin, FilterView):
    """Every council in a published round: sortable, filterable and downloadable.

    The filter set validates the filter form; its cleaned data, the sort and the page go to
    ``selectors.league_rows`` (one hand-written query), through the table's
    :class:`~ratings.tables.LeagueRows`. The downloads read the same rows, unpaginated."""

    table_class = LeagueTable
    filterset_class = LeagueTableFilter
    template_name = "ratings/league_table.html"
    context_object_name = "league_rows"
    export_formats = ("csv", "xlsx", "json")
    export_trigger_param = "_export"
    export_class = SpreadsheetSafeExport
    exporting = False

    def get(self, request, year):
        self.round = _round_or_404(request, year)
        self.filterset = self.get_filterset(self.get_filterset_class())
        export_format = request.GET.get(self.export_trigger_param)
        self.errors = []
        self.page_number, self.per_page = self.pagination()
        status = 400 if self.errors else 200
        if self.filterset.is_bound and not self.filterset.is_valid():
            status = 400
            self.object_list = []
            self.page_number = 1  # the filters' errors are what to show, not a missing page
        else:
            self.object_list = self.league_rows()
            if export_format is not None and export_format not in self.export_formats:
                status = 400
                self.errors.append("Choose a download format: CSV, Excel (XLSX) or JSON.")
            elif export_format is not None:
                self.exporting = True
                return self.create_export(export_format)
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context, status=status)

    def pagination(self) -> tuple[int, int]:
        """The page and the councils per page asked for. A value that is not one adds its
        message to ``self.errors``, and the default is used."""
        page, per_page = 1, PER_PAGE
        if asked := self.request.GET.get("page", "").strip():
            number = _whole_number(asked)
            if number is None or number < 1:
                self.errors.append(PAGE_ERROR if number is None else PAGE_ZERO_ERROR)
            else:
                page = number  # one past the end is a 404, from get_table()
        if asked := self.request.GET.get("per_page", "").strip():
            number = _whole_number(asked)
            if number is None or not 1 <= number <= PER_PAGE:
                self.errors.append(PER_PAGE_ERROR)
            else:
                per_page = number
        return page, per_page

    def get_queryset(self):
        # Only for the filter set, which validates the form: the rows never come from it.
        return Rating.objects.none()

    def league_rows(self) -> LeagueRows:
        now = _now(self.request)
        previous = embargo.previous_published_round(self.round, now)
        filters = self.filterset.form.cleaned_data if self.filterset.is_bound else {}

        def fetch(**page):
            return selectors.league_rows(
                self.round, now, previous=previous, filters=filters, with_provenance=True, **page
            )

        return LeagueRows(fetch, page=self.page_number, per_page=self.per_page)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["round"] = self.round
        return kwargs

    def get_table_class(self):
        return LeagueExportTable if self.exporting else LeagueTable

    def get_table_kwargs(self):
        return {"round": self.round}

    def get_table(self, **kwargs):
        # Not django-tables2's RequestConfig, which would read ?page= and ?per_page= again
        # with int() (which takes "-1" or "٣") and show the last page for one past the end.
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        table.request = self.request
        # Only what could be a column's name: django-tables2 reads "a.b" as a path to an
        # attribute (with a DeprecationWarning) before it finds there is no such column.
        sort = [
            name
            for value in self.request.GET.getlist(table.prefixed_order_by_field)
            for name in value.split(",")
            if SORT_NAME.fullmatch(name)
        ]
        if sort:
            table.order_by = sort
        if not self.exporting:
            # One page up to 200 councils; 200 a page beyond that.
            try:
                table.paginate(page=self.page_number, per_page=self.per_page)
            except EmptyPage:
                raise Http404("There is no such page of the league table.") from None
        return table

    def get_export_filename(self, export_format):
        return f"star-ratings-{self.round.year}.{export_format}"

    def get_dataset_kwargs(self):
        return {"title": f"Star ratings {self.round.year}"}

    def render_to_response(self, context, **kwargs):
        # Downloads are answered in get(); never from here (ExportMixin would accept any
        # format tablib knows).
        return TemplateResponse(self.request, self.template_name, context, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table = context["table"]
        context.update(
            round=self.round,
            publication_shown=publications.shown(self.round, _now(self.request)),
            filter_errors=self.filterset.errors if self.filterset.is_bound else {},
            other_errors=self.errors,
            shown=table.paginator.count if getattr(table, "paginator", None) else 0,
            sorted_by=_sorted_by(table),
            breadcrumbs=_crumbs(_rounds_crumb()),
            export_formats=[("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("json", "JSON")],
        )
        return context


def _whole_number(text: str) -> int | None:
    """A whole number in ASCII digits, or None. int() alone would also take "-1", "٣" and
    "1_0", which no link of ours makes; a number of more than 18 digits counts as 10**18,
    past the end of any table, rather than be converted (Python refuses 4,300 digits)."""
    if not DIGITS.fullmatch(text):
        return None
    digits = text.lstrip("0")
    return 10**18 if len(digits) > 18 else int(digits or "0")


def _sorted_by(table) -> str:
    for column in table.columns:
        if column.is_ordered:
            direction = "descending" if column.order_by_alias.is_descending else "ascending"
            return f"{column.header}, {direction}"
    return ""


league_table = LeagueTableView.as_view()


# --- the national summary -----------------------------------------------------------------


@require_safe
@cached_public_page(reads_query=False)
def national_summary(request, year):
    round = _round_or_404(request, year)
    summary = national.national_summary(round, _now(request), rounds=_rounds(request))
    shown = summary.publication
    differences = checked.summary_differences(summary, _now(request))
    return render(
        request,
        "ratings/national_summary.html",
        {
            "round": round,
            "publication_shown": shown,
            "editions": _editions(round, shown, summary),
            "star_levels": [(s, rules.stars_in_words(s).capitalize()) for s in rules.STAR_VALUES],
            "figures": presenters.national_figures(summary, differences),
            "breadcrumbs": _crumbs(
                _rounds_crumb(), (round.title, reverse("league-table", args=[round.year]))
            ),
        },
    )


def _editions(round, shown, summary) -> list[dict]:
    """The round's star counts at each of its publications, side by side, when it has had
    more than one (2002: as first published in May, as revised in November). ``summary``:
    the figures of the publication shown, already worked out."""
    if shown is None or len(shown.all) < 2:
        return []
    editions = []
    for publication in shown.all:
        if publication == shown.current:
            figures = summary
        else:
            figures = national.national_summary(round, publication.published_at)
        editions.append(
            {
                "publication": publication,
                "stars": sorted(figures.stars.items()),
                "special_measures": len(figures.special_measures_on),
            }
        )
    return editions


# --- the published record, checked ------------------------------------------------------


@require_safe
@cached_public_page(reads_query=False)
def record(request):
    """Every published fact, its source, and whether the portal reproduces it."""
    return render(
        request,
        "ratings/record.html",
        {"record": checked.public_record(_now(request)), "breadcrumbs": _crumbs()},
    )


# --- the council page ---------------------------------------------------------------------


@require_safe
@cached_public_page(reads_query=False)
def council(request, slug, year=None):
    council = get_object_or_404(Council.objects.select_related("region"), slug=slug)
    page = presenters.council_page(council, year, _now(request), rounds=_rounds(request))
    if page is None:
        raise Http404("No published ratings for that year.")
    return render(
        request,
        "ratings/council.html",
        {
            "page": page,
            "record": page.record,
            "council": council,
            "round": page.round,
            "rating": page.rating,
            "breadcrumbs": _crumbs(("Councils", reverse("council-search"))),
            # Full addresses for the badge snippet, pasted into other sites.
            "council_url": site_url(reverse("council", args=[slug])),
            "badge_url": site_url(reverse("council-badge", args=[slug])),
        },
    )


# --- compare ------------------------------------------------------------------------------


def _compare_request(values: list[str]) -> tuple[list[str], list[str]]:
    """The names or slugs asked for (in order, without repeats) and any errors."""
    names: list[str] = []
    seen: set[str] = set()  # a set: a list made 20,000 names take 13 s to count
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if part and part.casefold() not in seen:
                seen.add(part.casefold())
                names.append(part)
    errors = []
    if not names:
        errors.append("Enter at least one council.")
    elif len(names) > MAX_COMPARED:
        errors.append(f"Compare at most {MAX_COMPARED} councils; you entered {len(names):,}.")
    return names, errors


@require_safe
@cached_public_page
def compare(request):
    """Two to four councils side by side, or one against its region, its type and
    England."""
    all_councils = list(Council.objects.select_related("region").order_by("name"))
    context = {
        "all_councils": all_councils,
        "breadcrumbs": _crumbs(("Councils", reverse("council-search"))),
        "errors": [],
        "value": "",
    }
    if "councils" not in request.GET:
        return render(request, "ratings/compare.html", context)
    values = request.GET.getlist("councils")
    context["value"] = ", ".join(v for v in values if v.strip())
    names, errors = _compare_request(values)
    chosen = []
    if not errors:
        matcher = CouncilMatcher(all_councils)
        for name in names:
            found = matcher.get(name)
            if found is None:
                message = f"'{name}' is not a council"
                suggestions = matcher.suggest(name)
                if suggestions:
                    message += f"; did you mean {' or '.join(suggestions)}?"
                errors.append(message + ".")
            elif found in chosen:
                continue
            else:
                chosen.append(found)
    if errors:
        context["errors"] = errors
        return render(request, "ratings/compare.html", context, status=400)
    context["value"] = ", ".join(c.slug for c in chosen)
    context["comparison"] = presenters.compare(chosen, _now(request))
    context["single"] = len(chosen) == 1
    return render(request, "ratings/compare.html", context)


# --- search -------------------------------------------------------------------------------


@require_safe
def council_search(request):
    query = request.GET.get("q", "").strip()[:200]
    result = finder.search(query)
    if result.exact is not None:
        return redirect("council", slug=result.exact.slug)
    if not query:
        result.councils = list(Council.objects.select_related("region").order_by("name"))
    return render(
        request,
        "ratings/council_search.html",
        {"query": query, "result": result, "breadcrumbs": _crumbs()},
    )


@require_safe
def council_suggest(request):
    """Up to ten councils for what has been typed so far, as JSON."""
    query = request.GET.get("q", "").strip()[:200]
    councils = finder.search(query).councils[: finder.SUGGESTION_LIMIT]
    return JsonResponse(
        [{"name": c.name, "url": reverse("council", args=[c.slug])} for c in councils],
        safe=False,
    )


@require_safe
@cached_public_page(reads_query=False)
def pre_release_access(request, year):
    """Who saw the round's ratings before publication (council contacts, in the days before):
    published with the round, as the statistics code asks of pre-release access."""
    round = _round_or_404(request, year)
    return render(
        request,
        "ratings/pre_release_access.html",
        {
            "round": round,
            "people": selectors.pre_release_access(round, _now(request)),
            "breadcrumbs": _crumbs(
                _rounds_crumb(), (round.title, reverse("league-table", args=[round.year]))
            ),
        },
    )


@require_safe
@cached_public_page(reads_query=False)
def council_badge(request, slug):
    """The council's current rating as an SVG badge for other sites, linking back."""
    council = get_object_or_404(Council, slug=slug)
    found = badge.badge(council, _now(request))
    response = render(
        request,
        "ratings/badge.svg",
        {"badge": found, "link": site_url(reverse("council", args=[slug]))},
        content_type="image/svg+xml; charset=utf-8",
    )
    # Shown inside other sites' pages: a badge may be framed as an image, nothing more.
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
