"""The open data API's views: read-only, no authentication, JSON, browsable and CSV.

Rounds, ratings, summaries and indicator values come only from published rounds through
``api.queries`` (built on the embargo gate and ``ratings.selectors``), at the time of the
request: an embargoed round, or a revision whose publication time has not come, is nowhere in the
API, and asking for it answers 404 exactly as for a year that does not exist.

Lists are paginated in JSON (``?page=``, ``?page_size=`` up to 1000). **CSV**
(``?format=csv`` or ``Accept: text/csv``) is not paginated: it holds every row that the
filters select, in the same order, with a header row of the JSON field names; nested
objects are flattened with dotted names (see ``api.renderers``).
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import JsonResponse
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ratings import embargo, publications, record, release_calendar, selectors
from ratings.materialised import national_summary
from ratings.models import Council, Indicator, IndicatorValue, KeyIndicatorCap, Rating

from . import filters, queries, serializers

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=(
        "json (the default) or csv. CSV has a header row of the field names, nested objects "
        "flattened with dotted names; lists in CSV are not paginated (every row)."
    ),
)
YEAR_PARAMETER = OpenApiParameter(
    "year",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The year of a published round, e.g. 2004.",
)
NOT_FOUND = OpenApiResponse(serializers.ErrorSerializer, description="Not found.")
BAD_FILTER = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
        "example": {"stars": ["Select a valid choice. 5 is not one of the available choices."]},
    },
    description="A filter value is not allowed; the message names the parameter.",
)


class PublicAPIMixin:
    """What every API view shares: one moment per request for the embargo."""

    @cached_property
    def now(self):
        return embargo.now()


class CSVUnpaginatedMixin:
    """Pages in JSON and the browsable API; every row at once in CSV."""

    def paginate_queryset(self, queryset):
        renderer = getattr(self.request, "accepted_renderer", None)
        if getattr(renderer, "format", None) == "csv":
            return None
        return super().paginate_queryset(queryset)


class RoundMixin(PublicAPIMixin):
    """Views of one published round, found by the ``year`` in the URL."""

    @cached_property
    def round(self):
        year = self.kwargs["year"]
        found = queries.published_round(year, self.now) if 1900 <= year <= 2100 else None
        if found is None:
            # The same answer for an embargoed round as for a year with no round at all.
            raise NotFound(f"There is no published round for {year}.")
        return found

    def is_schema_request(self) -> bool:
        return getattr(self, "swagger_fake_view", False)


@extend_schema(responses=serializers.RootSerializer, parameters=[FORMAT_PARAMETER])
class APIRootView(PublicAPIMixin, APIView):
    """The open data API of the social services star ratings: links to its endpoints.

    Councils, published rounds with their ratings and national summaries, indicators and
    indicator values. Sample data (generated, not the published ratings) is marked
    ``is_sample``; each rating's ``provenance`` (of its stars) and
    ``judgement_provenance`` say whether a value is published, with its source, or sample.
    Every list is paginated and available as CSV with ``?format=csv``.
    """

    def get(self, request, *args, **kwargs):
        latest = queries.latest_published_round(self.now)
        return Response(serializers.RootSerializer.links(request, latest and latest.year))


@extend_schema(
    parameters=[FORMAT_PARAMETER], responses={200: serializers.CouncilSerializer, 400: BAD_FILTER}
)
class CouncilList(PublicAPIMixin, CSVUnpaginatedMixin, generics.ListAPIView):
    """Councils with social services responsibilities, by name. CSV: every row."""

    queryset = Council.objects.select_related("region").order_by("name")
    serializer_class = serializers.CouncilSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.CouncilFilter

    def csv_filename(self):
        return "councils"


@extend_schema(
    parameters=[FORMAT_PARAMETER],
    responses={200: serializers.CouncilDetailSerializer, 404: NOT_FOUND},
)
class CouncilDetail(PublicAPIMixin, generics.RetrieveAPIView):
    """A council and its published ratings: every visible revision of every published
    round, oldest first. A revision not yet published is not shown."""

    queryset = Council.objects.select_related("region")
    serializer_class = serializers.CouncilDetailSerializer
    lookup_field = "slug"

    def get_object(self):
        council = self.get_queryset().filter(slug=self.kwargs["slug"]).first()
        if council is None:
            raise NotFound(f"There is no council with the slug “{self.kwargs['slug']}”.")
        council.history = queries.council_history(council, self.now)
        council.published_responses = selectors.council_responses(council, self.now)
        council.representation_years = sorted(selectors.representation_years(council, self.now))
        return council

    def csv_filename(self):
        return f"council-{self.kwargs['slug']}"


@extend_schema(parameters=[FORMAT_PARAMETER])
class RoundList(PublicAPIMixin, CSVUnpaginatedMixin, generics.ListAPIView):
    """Published rounds, oldest first, with links to their ratings, summary and indicator
    values. A round scheduled for later is not listed until its publication time."""

    serializer_class = serializers.RoundSerializer

    def get_queryset(self):
        return queries.published_rounds(self.now)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["publication_details"] = publications.details_by_round(
            queries.published_rounds(self.now)
        )
        return context

    def csv_filename(self):
        return "rounds"


@extend_schema(
    parameters=[YEAR_PARAMETER, FORMAT_PARAMETER],
    responses={200: serializers.RoundSerializer, 404: NOT_FOUND},
)
class RoundDetail(RoundMixin, generics.GenericAPIView):
    """A published round."""

    serializer_class = serializers.RoundSerializer

    def get(self, request, *args, **kwargs):
        return Response(self.get_serializer(self.round).data)

    def csv_filename(self):
        return f"round-{self.round.year}"


@extend_schema(
    parameters=[YEAR_PARAMETER, FORMAT_PARAMETER],
    responses={200: serializers.RoundRatingSerializer, 400: BAD_FILTER, 404: NOT_FOUND},
)
class RoundRatingList(RoundMixin, CSVUnpaginatedMixin, generics.ListAPIView):
    """The league table of a published round: one row per council, its current revision.

    Filter as the league table does (``region``, ``type``, ``stars`` repeated for several,
    ``status``, ``special_measures``, ``group``, ``change``) and sort with ``ordering``
    (``-stars,council``); councils not rated sort last. CSV: every row selected.
    """

    serializer_class = serializers.RoundRatingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.RoundRatingFilter

    def get_queryset(self):
        if self.is_schema_request():
            return Rating.objects.none()
        return queries.round_ratings(self.round, self.now)

    def get_serializer(self, *args, **kwargs):
        if args and kwargs.get("many") and not self.is_schema_request():
            # The page's rows (every row in CSV) with where each value comes from, read
            # for all of them at once. Each is its council's current revision.
            args = (queries.with_provenance(args[0], self.now, includes_latest=True), *args[1:])
        return super().get_serializer(*args, **kwargs)

    def csv_filename(self):
        return f"ratings-{self.round.year}"


@extend_schema(
    parameters=[YEAR_PARAMETER, FORMAT_PARAMETER],
    responses={200: serializers.SummarySerializer, 404: NOT_FOUND},
)
class RoundSummary(RoundMixin, APIView):
    """The national figures of a published round, and the headlines drawn from them.

    Percentages are of the councils rated, to one decimal place; ``change_points`` is the
    change in the share with two or three stars since the previous published round."""

    def get(self, request, *args, **kwargs):
        return Response(national_summary(self.round, self.now).as_dict())

    def csv_filename(self):
        return f"summary-{self.round.year}"


@extend_schema(responses={200: serializers.RecordSerializer})
class RecordView(PublicAPIMixin, APIView):
    """Every published fact (the national figures of each publication and the published
    ratings of single councils, with their sources) and whether the portal reproduces it
    from its data and star rules as at that publication. For a round still under embargo
    the portal's own figures are left out (``status`` ``not_yet_public``). JSON only."""

    # A record of two lists does not flatten into one CSV table.
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]

    def get(self, request, *args, **kwargs):
        return Response(record.public_record(self.now).as_dict())


@extend_schema(
    parameters=[FORMAT_PARAMETER], responses={200: serializers.IndicatorSerializer, 400: BAD_FILTER}
)
class IndicatorList(PublicAPIMixin, CSVUnpaginatedMixin, generics.ListAPIView):
    """Performance indicators with their bands' cut points and, per methodology version,
    the key-indicator caps. CSV: every row; the caps are written as JSON in one cell."""

    serializer_class = serializers.IndicatorSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.IndicatorFilter

    def get_queryset(self):
        return (
            Indicator.objects.select_related("domain")
            .prefetch_related(
                Prefetch("caps", KeyIndicatorCap.objects.order_by("methodology_version"))
            )
            .order_by("domain__order", "order", "code")
        )

    def csv_filename(self):
        return "indicators"


@extend_schema(
    parameters=[YEAR_PARAMETER, FORMAT_PARAMETER],
    responses={200: serializers.IndicatorValueSerializer, 400: BAD_FILTER, 404: NOT_FOUND},
)
class IndicatorValueList(RoundMixin, CSVUnpaginatedMixin, generics.ListAPIView):
    """Councils' indicator values in a published round, with the band (1-5, 5 best) each
    value falls in. Filter by ``council`` (slug) and ``indicator`` (code). CSV: every row."""

    serializer_class = serializers.IndicatorValueSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.IndicatorValueFilter

    def get_queryset(self):
        if self.is_schema_request():
            return IndicatorValue.objects.none()
        return queries.round_indicator_values(self.round, self.now)

    def csv_filename(self):
        return f"indicator-values-{self.round.year}"


@extend_schema(
    parameters=[FORMAT_PARAMETER],
    responses={200: serializers.UpcomingPublicationSerializer(many=True)},
)
class UpcomingPublicationList(PublicAPIMixin, APIView):
    """Every scheduled publication still to come, soonest first: a round's first
    publication (``kind`` ``round``) or a correction to a round (``correction``), with its
    time. Only what it is and when: nothing of what it will publish. Not paginated; CSV:
    every row."""

    def get(self, request, *args, **kwargs):
        entries = release_calendar.upcoming(self.now)
        return Response(serializers.UpcomingPublicationSerializer(entries, many=True).data)

    def csv_filename(self):
        return "upcoming-publications"


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, made once per release and language.

    The API has one version: ``?version=`` is not read, where drf-spectacular would write
    whatever it is sent into the schema and into the Content-Disposition header (a line
    break in it was a server error). ``?lang=`` is one of the languages Django knows, or
    the default: Django keeps a translation for every code it activates, so any other
    value made a new one, for good. Making the schema takes tens of milliseconds, and it
    changes only with the code and the language, so it is kept in the cache for each.
    """

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request, *args, **kwargs):
        try:
            language = translation.get_supported_language_variant(request.GET.get("lang", ""))
        except LookupError:
            language = settings.LANGUAGE_CODE
        with translation.override(language):
            return self._get_schema_response(request)

    def _get_version_parameter(self, request):
        return None

    def _get_schema_response(self, request):
        key = f"api:schema:{settings.RELEASE}:{translation.get_language()}"
        schema = cache.get(key)
        if schema is None:
            generator = self.generator_class(urlconf=self.urlconf, patterns=self.patterns)
            schema = generator.get_schema(request=request, public=self.serve_public)
            cache.set(key, schema, None)
        filename = self._get_filename(request, None)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


def not_found(request, *args, **kwargs):
    """Any other address under the API: a JSON 404 like the API's own."""
    return JsonResponse({"detail": "Not found."}, status=404)
