"""What the API shows. Read-only; every field name here is part of the public contract."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from ratings import banding, embargo, publications, rules
from ratings.models import CouncilType, Polarity, RatingStatus

SERVING = list(rules.SERVING_LEVELS)
PROSPECTS = list(rules.PROSPECT_LEVELS)
CHANGES = ["up", "down", "same", ""]


def stars_text(stars: int | None) -> str:
    """The stars in words as the pages show them: "2 stars", "1 star", "Not rated"."""
    if stars is None:
        return "Not rated"
    return f"{stars} star{'' if stars == 1 else 's'}"


class ReadOnlySerializer(serializers.Serializer):
    # Output only. (No docstring: the schema would give it to every serializer.)

    def create(self, validated_data):  # pragma: no cover - the API is read-only
        raise NotImplementedError

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError


class StarsTextField(serializers.ReadOnlyField):
    """The stars in words, from the whole row (a field on ``stars`` itself would never see
    a council not rated: serializers write null for a null attribute)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", 'The stars in words: "0 stars" to "3 stars" or "Not rated".')
        super().__init__(source="*", **kwargs)

    def to_representation(self, value):
        return stars_text(value.stars)


extend_schema_field(OpenApiTypes.STR)(StarsTextField)


class RoundLinkField(serializers.HyperlinkedIdentityField):
    """A link from a round (found by its year) to one of its endpoints."""

    def __init__(self, view_name: str, **kwargs):
        super().__init__(view_name=view_name, lookup_field="year", **kwargs)


def _serving(service: str):
    return serializers.ChoiceField(
        SERVING,
        allow_null=True,
        read_only=True,
        help_text=f"Serving {'adults' if service == 'adults' else 'children'} well? "
        "(null if not rated)",
    )


def _prospects(service: str):
    return serializers.ChoiceField(
        PROSPECTS,
        allow_null=True,
        read_only=True,
        help_text=f"Capacity for improvement of {rules.SERVICE_LABELS[service]} "
        "(null if not rated).",
    )


class ProvenanceSerializer(ReadOnlySerializer):
    """Where a value comes from (``ratings.provenance.Provenance.as_dict``)."""

    kind = serializers.ChoiceField(
        ["published", "sample"],
        read_only=True,
        help_text="published: as published at the time (see source); sample: generated "
        "sample data.",
    )
    source = serializers.CharField(
        read_only=True, help_text="The citation of a published value; empty for sample."
    )
    url = serializers.CharField(
        read_only=True, help_text="A link to the source, where known; else empty."
    )


class JudgementProvenanceSerializer(ReadOnlySerializer):
    """Where each of the four judgements comes from, by the judgement's field name."""

    adults_serving = ProvenanceSerializer(read_only=True)
    adults_prospects = ProvenanceSerializer(read_only=True)
    children_serving = ProvenanceSerializer(read_only=True)
    children_prospects = ProvenanceSerializer(read_only=True)


def _provenance():
    return ProvenanceSerializer(
        read_only=True,
        help_text="Where the stars come from: published (with the source) or sample.",
    )


def _judgement_provenance():
    return JudgementProvenanceSerializer(
        read_only=True,
        help_text="Where each judgement comes from: published (with the source) or sample.",
    )


# --- councils ------------------------------------------------------------------------------


class CouncilSerializer(ReadOnlySerializer):
    name = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    type = serializers.ChoiceField(CouncilType.choices, source="council_type", read_only=True)
    type_label = serializers.CharField(source="get_council_type_display", read_only=True)
    region = serializers.CharField(source="region.name", read_only=True)
    region_slug = serializers.SlugField(source="region.slug", read_only=True)
    ons_code = serializers.CharField(read_only=True, help_text="Empty where not known.")
    url = serializers.HyperlinkedIdentityField(
        view_name="api:council-detail", lookup_field="slug", read_only=True
    )


class RevisionSerializer(ReadOnlySerializer):
    """One visible revision of a council's rating in a published round."""

    year = serializers.IntegerField(source="round.year", read_only=True)
    revision = serializers.IntegerField(read_only=True)
    is_current = serializers.BooleanField(
        read_only=True, help_text="Whether this is the latest visible revision of its round."
    )
    stars = serializers.IntegerField(read_only=True, allow_null=True, min_value=0, max_value=3)
    stars_text = StarsTextField()
    status = serializers.ChoiceField(RatingStatus.choices, read_only=True)
    adults_serving = _serving("adults")
    adults_prospects = _prospects("adults")
    children_serving = _serving("children")
    children_prospects = _prospects("children")
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)
    on_special_measures = serializers.BooleanField(read_only=True)
    published_at = serializers.SerializerMethodField(
        help_text="When the revision was published: its own time, or the round's."
    )
    note = serializers.CharField(read_only=True)
    is_sample = serializers.BooleanField(source="round.is_sample", read_only=True)
    round = serializers.HyperlinkedRelatedField(
        view_name="api:round-detail", lookup_field="year", read_only=True
    )
    provenance = _provenance()
    judgement_provenance = _judgement_provenance()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_published_at(self, rating):
        moment = embargo.published_at(rating)
        return serializers.DateTimeField().to_representation(moment)


class CouncilResponseSerializer(ReadOnlySerializer):
    """The council's own reply to its rating in a round (right of reply), as published
    by the inspectorate after moderation."""

    year = serializers.IntegerField(source="round.year", read_only=True)
    text = serializers.CharField(read_only=True)
    published_at = serializers.DateTimeField(read_only=True)
    attribution = serializers.CharField(read_only=True)


class CouncilDetailSerializer(CouncilSerializer):
    alternative_names = serializers.ListField(child=serializers.CharField(), read_only=True)
    ratings = RevisionSerializer(source="history", many=True, read_only=True)
    responses = CouncilResponseSerializer(source="published_responses", many=True, read_only=True)
    representations_being_considered = serializers.ListField(
        child=serializers.IntegerField(),
        source="representation_years",
        read_only=True,
        help_text="Years of the council's ratings under a representation being considered.",
    )


# --- rounds --------------------------------------------------------------------------------


class PublicationSerializer(ReadOnlySerializer):
    """One publication of a round: its first, or a refresh or correction."""

    published_at = serializers.DateTimeField(read_only=True)
    date = serializers.CharField(
        read_only=True, help_text="As the record gives it: the day, or the month only."
    )
    label = serializers.CharField(
        read_only=True, help_text='e.g. "as first published, 30 May 2002"'
    )
    first = serializers.BooleanField(read_only=True)
    description = serializers.CharField(read_only=True)
    source = serializers.CharField(read_only=True)
    url = serializers.CharField(read_only=True)
    as_at = serializers.DateField(
        read_only=True, help_text="The ?as_at= value that shows the record as it left it."
    )


class RoundSerializer(ReadOnlySerializer):
    year = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    methodology_version = serializers.CharField(read_only=True)
    methodology = serializers.SerializerMethodField(
        help_text="What the methodology version is (empty if not known)."
    )
    publication_at = serializers.DateTimeField(read_only=True)
    is_sample = serializers.BooleanField(
        read_only=True, help_text="Generated sample data, not the real published ratings."
    )
    url = RoundLinkField("api:round-detail")
    ratings_url = RoundLinkField("api:round-ratings")
    summary_url = RoundLinkField("api:round-summary")
    indicator_values_url = RoundLinkField("api:round-indicator-values")
    # Added after the links: CSV columns are a contract, new ones go at the end.
    publisher = serializers.CharField(
        read_only=True, help_text="The body that published the round."
    )
    source = serializers.CharField(read_only=True, help_text="Where its publication is recorded.")
    source_url = serializers.CharField(read_only=True)
    publications = serializers.SerializerMethodField(
        help_text="Its publications so far: the first, then each refresh or correction."
    )

    @extend_schema_field(PublicationSerializer(many=True))
    def get_publications(self, round):
        # A list view reads every round's details at once (context "publication_details").
        view = self.context.get("view")
        details = self.context.get("publication_details")
        found = publications.publications(
            round,
            getattr(view, "now", None),
            details=None if details is None else details.get(round.pk, []),
        )
        return [p.as_dict() for p in found]

    @extend_schema_field(OpenApiTypes.STR)
    def get_methodology(self, round):
        return (
            rules.methodology_versions().get(round.methodology_version, {}).get("description", "")
        )


class RoundRatingSerializer(ReadOnlySerializer):
    """A council's current rating in a round, as in the league table."""

    year = serializers.IntegerField(source="round.year", read_only=True)
    council = serializers.CharField(source="council.name", read_only=True)
    council_slug = serializers.SlugField(source="council.slug", read_only=True)
    region = serializers.CharField(source="council.region.name", read_only=True)
    region_slug = serializers.SlugField(source="council.region.slug", read_only=True)
    council_type = serializers.ChoiceField(
        CouncilType.choices, source="council.council_type", read_only=True
    )
    stars = serializers.IntegerField(read_only=True, allow_null=True, min_value=0, max_value=3)
    stars_text = StarsTextField()
    status = serializers.ChoiceField(RatingStatus.choices, read_only=True)
    adults_serving = _serving("adults")
    adults_prospects = _prospects("adults")
    children_serving = _serving("children")
    children_prospects = _prospects("children")
    previous_stars = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        min_value=0,
        max_value=3,
        help_text="Stars in the previous published round (null if not rated or absent).",
    )
    change = serializers.ChoiceField(
        CHANGES, read_only=True, help_text="Since the previous round; empty if not comparable."
    )
    change_by = serializers.IntegerField(read_only=True, allow_null=True)
    on_special_measures = serializers.BooleanField(read_only=True)
    previous_on_special_measures = serializers.BooleanField(read_only=True, allow_null=True)
    revision = serializers.IntegerField(read_only=True)
    is_sample = serializers.BooleanField(source="round.is_sample", read_only=True)
    provenance = _provenance()
    judgement_provenance = _judgement_provenance()


# Keyed by the stars as strings, "0" to "3", which are not Python names.
StarCountsSerializer = type(
    "StarCountsSerializer",
    (ReadOnlySerializer,),
    {
        "__module__": __name__,
        "__doc__": 'Councils rated by stars, keyed "0" to "3".',
        **{str(s): serializers.IntegerField(read_only=True) for s in rules.STAR_VALUES},
    },
)
StarPercentsSerializer = type(
    "StarPercentsSerializer",
    (ReadOnlySerializer,),
    {
        "__module__": __name__,
        "__doc__": 'Percent of councils rated by stars, keyed "0" to "3".',
        **{
            str(s): serializers.FloatField(read_only=True, allow_null=True)
            for s in rules.STAR_VALUES
        },
    },
)


class TwoOrThreeStarsSerializer(ReadOnlySerializer):
    count = serializers.IntegerField(read_only=True)
    percent = serializers.FloatField(read_only=True, allow_null=True)
    change_points = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Change in percentage points since the previous published round.",
    )


class SpecialMeasuresSerializer(ReadOnlySerializer):
    """The special measures register after the publication shown, against the one before
    it (the round's previous publication, the previous round, or the register before the
    first round)."""

    on = serializers.IntegerField(read_only=True, help_text="Councils on special measures.")
    entered = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Councils that went on to special measures, where the record names them.",
    )
    entered_count = serializers.IntegerField(
        read_only=True, help_text="How many went on to special measures, named or not."
    )
    left = serializers.ListField(child=serializers.CharField(), read_only=True)
    note = serializers.CharField(read_only=True, help_text="What the record leaves unnamed.")


def _percent(help_text: str):
    return serializers.FloatField(read_only=True, allow_null=True, help_text=help_text)


class SummarySerializer(ReadOnlySerializer):
    """The national figures of a round (``ratings.summary.NationalSummary.as_dict``).
    Percentages are of the councils rated, to one decimal place; null when none were."""

    year = serializers.IntegerField(read_only=True)
    is_sample = serializers.BooleanField(read_only=True)
    councils = serializers.IntegerField(read_only=True, help_text="Councils rated.")
    not_rated = serializers.IntegerField(read_only=True, help_text="Councils not rated.")
    stars = StarCountsSerializer(read_only=True)
    stars_percent = StarPercentsSerializer(read_only=True)
    two_or_three_stars = TwoOrThreeStarsSerializer(read_only=True)
    serving_most_adults_well_percent = _percent("Serving most or all adults well.")
    serving_most_children_well_percent = _percent("Serving most or all children well.")
    adults_prospects_promising_or_excellent_percent = _percent(
        "Adults' services with promising or excellent prospects."
    )
    children_prospects_promising_or_excellent_percent = _percent(
        "Children's services with promising or excellent prospects."
    )
    special_measures = SpecialMeasuresSerializer(read_only=True)
    zero_stars = serializers.ListField(child=serializers.CharField(), read_only=True)
    moved_up = serializers.IntegerField(read_only=True)
    moved_down = serializers.IntegerField(read_only=True)
    headlines = serializers.ListField(child=serializers.CharField(), read_only=True)
    publisher = serializers.CharField(
        read_only=True, help_text="The body that published the round."
    )
    as_at = serializers.DateField(
        read_only=True, allow_null=True, help_text="The day asked for with ?as_at=, if any."
    )
    publication = PublicationSerializer(
        read_only=True, help_text="The publication whose figures these are."
    )
    first_publication = PublicationSerializer(read_only=True)
    publications = PublicationSerializer(many=True, read_only=True)


# --- indicators ----------------------------------------------------------------------------


class KeyIndicatorCapSerializer(ReadOnlySerializer):
    methodology_version = serializers.CharField(read_only=True)
    service = serializers.ChoiceField(list(rules.SERVICES), read_only=True)
    maximum = serializers.ChoiceField(
        SERVING,
        read_only=True,
        help_text="The highest 'serving people well' judgement a council failing it may have.",
    )
    threshold = serializers.DecimalField(
        max_digits=12, decimal_places=3, coerce_to_string=False, read_only=True
    )


class IndicatorSerializer(ReadOnlySerializer):
    code = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    domain = serializers.SlugField(source="domain.slug", read_only=True)
    domain_name = serializers.CharField(source="domain.name", read_only=True)
    unit = serializers.CharField(read_only=True)
    polarity = serializers.ChoiceField(Polarity.choices, read_only=True)
    band_thresholds = serializers.ListField(
        child=serializers.FloatField(),
        read_only=True,
        help_text="Four ascending cut points between bands 1-5 (5 is best); empty if unbanded.",
    )
    description = serializers.CharField(read_only=True)
    key_indicator_caps = KeyIndicatorCapSerializer(source="caps", many=True, read_only=True)


class IndicatorValueSerializer(ReadOnlySerializer):
    year = serializers.IntegerField(source="round.year", read_only=True)
    council = serializers.CharField(source="council.name", read_only=True)
    council_slug = serializers.SlugField(source="council.slug", read_only=True)
    indicator = serializers.CharField(source="indicator.code", read_only=True)
    value = serializers.DecimalField(
        max_digits=12, decimal_places=3, coerce_to_string=False, allow_null=True, read_only=True
    )
    band = serializers.SerializerMethodField(
        help_text="Band 1-5 (5 is best) from the indicator's cut points; null if unbanded."
    )
    exempt = serializers.BooleanField(
        read_only=True, help_text="Small councils are exempt from key-indicator caps."
    )
    is_sample = serializers.BooleanField(source="round.is_sample", read_only=True)

    @extend_schema_field({"type": "integer", "minimum": 1, "maximum": 5, "nullable": True})
    def get_band(self, value) -> int | None:
        indicator = value.indicator
        try:
            return banding.band(value.value, indicator.band_thresholds, indicator.polarity)
        except ValueError:
            return None


class ErrorSerializer(ReadOnlySerializer):
    detail = serializers.CharField(read_only=True)


# --- the root ------------------------------------------------------------------------------


class RootSerializer(ReadOnlySerializer):
    councils = serializers.URLField(read_only=True)
    rounds = serializers.URLField(read_only=True)
    indicators = serializers.URLField(read_only=True)
    latest_round = serializers.URLField(read_only=True, allow_null=True)
    schema = serializers.URLField(read_only=True)
    docs = serializers.URLField(read_only=True)

    @staticmethod
    def links(request, latest_year: int | None) -> dict:
        def url(name, **kwargs):
            return reverse(f"api:{name}", kwargs=kwargs or None, request=request)

        return {
            "councils": url("council-list"),
            "rounds": url("round-list"),
            "indicators": url("indicator-list"),
            "latest_round": url("round-detail", year=latest_year) if latest_year else None,
            "schema": url("schema"),
            "docs": url("docs"),
        }


# --- the published record, checked ---------------------------------------------------------

RECORD_STATUSES = ["agrees", "differs", "not_computed", "not_yet_public"]


class _RecordCheckFields(ReadOnlySerializer):
    published = serializers.CharField(read_only=True, help_text="The fact as published.")
    portal = serializers.CharField(
        read_only=True,
        help_text="What the portal computes as at that publication; empty when not compared.",
    )
    # Not a ChoiceField: the schema would name its enum after "status", as another's.
    status = serializers.CharField(
        read_only=True, help_text="One of: " + ", ".join(RECORD_STATUSES) + "."
    )
    explanation = serializers.CharField(
        read_only=True, help_text="Why the portal does not reproduce it; empty when it does."
    )
    source = serializers.CharField(read_only=True, help_text="The citation, as recorded.")
    url = serializers.CharField(read_only=True, help_text="The citation's first link, if any.")


class RecordFigureSerializer(_RecordCheckFields):
    publication = serializers.CharField(
        read_only=True, help_text="The publication's date as known: 2004-11-18, or 2002-11."
    )
    year = serializers.IntegerField(read_only=True)
    figure = serializers.CharField(read_only=True, help_text="A stable key, e.g. stars.0.")
    label = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)


class RecordFactSerializer(_RecordCheckFields):
    council = serializers.CharField(read_only=True)
    slug = serializers.SlugField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    round = serializers.CharField(read_only=True, help_text="e.g. May, November refresh.")


class RecordCountsSerializer(ReadOnlySerializer):
    agrees = serializers.IntegerField(read_only=True)
    differs = serializers.IntegerField(read_only=True)
    not_computed = serializers.IntegerField(read_only=True)
    not_yet_public = serializers.IntegerField(read_only=True)


class RecordSerializer(ReadOnlySerializer):
    """Every published fact (``ratings.record.Record.as_dict``) and whether the portal
    reproduces it."""

    reproduced = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)
    counts = RecordCountsSerializer(read_only=True)
    figures = RecordFigureSerializer(many=True, read_only=True)
    facts = RecordFactSerializer(many=True, read_only=True)


# --- the release calendar -------------------------------------------------------------------


class UpcomingPublicationSerializer(ReadOnlySerializer):
    """A scheduled publication still to come (``ratings.release_calendar.Entry``): when,
    and what it is; nothing of what it will publish."""

    year = serializers.IntegerField(read_only=True, help_text="The round's year.")
    kind = serializers.ChoiceField(
        [embargo.ROUND_PUBLICATION, embargo.CORRECTION],
        read_only=True,
        help_text="round: the round's first publication; correction: a later publication "
        "of revised ratings of the round.",
    )
    title = serializers.CharField(
        read_only=True,
        help_text='e.g. "Star ratings 2006", "Revised 2005 star ratings"',
    )
    publication_at = serializers.DateTimeField(
        source="at", read_only=True, help_text="When it is to be published (ISO 8601)."
    )
