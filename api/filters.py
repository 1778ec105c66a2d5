"""The API's query filters (django-filter). A value that is not allowed answers 400 with a
message naming the parameter; it never falls back to "no filter"."""

from __future__ import annotations

import django_filters as filters
from django.db.models import Exists, F, OuterRef
from drf_spectacular.utils import extend_schema_field

from ratings import rules
from ratings.models import (
    Council,
    CouncilType,
    Domain,
    Group,
    GroupMembership,
    Indicator,
    IndicatorValue,
    Rating,
    RatingStatus,
    Region,
)


def _unknown(what: str) -> dict:
    return {"invalid_choice": f"There is no {what} “%(value)s”."}


class StrictBooleanFilter(filters.ChoiceFilter):
    """``true`` or ``false`` (also 1/0, yes/no); anything else is an error, not ignored."""

    TRUE = ("true", "1", "yes")
    FALSE = ("false", "0", "no")

    def __init__(self, *args, **kwargs):
        kwargs["choices"] = [(v, v) for v in self.TRUE + self.FALSE]
        kwargs.setdefault(
            "error_messages", {"invalid_choice": "Use true or false, not “%(value)s”."}
        )
        super().__init__(*args, **kwargs)
        # A boolean in the schema (with its help text), not the spelled-out choices.
        extend_schema_field({"type": "boolean", "description": kwargs.get("help_text", "")})(self)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return super().filter(qs, value.lower() in self.TRUE)


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Ordering with councils not rated (no stars) last either way, and the council's name
    breaking ties, so that pages are stable."""

    def filter(self, qs, value):
        if value in filters.filters.EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            field = self.get_ordering_value(param)
            if field.startswith("-"):
                ordering.append(F(field[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(field).asc(nulls_last=True))
        return qs.order_by(*ordering, "council__name", "pk")


def _by_slug(**kwargs):
    """A reference-data object chosen by its slug or code (a string in the schema)."""
    schema = {"type": "string", "description": kwargs["help_text"]}
    return extend_schema_field(schema)(filters.ModelChoiceFilter(**kwargs))


def _region(field_name: str):
    return _by_slug(
        field_name=field_name,
        queryset=Region.objects.all(),
        to_field_name="slug",
        error_messages=_unknown("region with the slug"),
        help_text="A region's slug, e.g. north-east.",
    )


def _type(field_name: str):
    return filters.ChoiceFilter(
        field_name=field_name,
        choices=CouncilType.choices,
        help_text="The council type.",
    )


class CouncilFilter(filters.FilterSet):
    region = _region("region")
    type = _type("council_type")

    class Meta:
        model = Council
        fields = ["region", "type"]


STAR_CHOICES = [(s, str(s)) for s in rules.STAR_VALUES]
CHANGE_CHOICES = [("up", "up"), ("down", "down"), ("same", "same")]


class RoundRatingFilter(filters.FilterSet):
    """The league table's filters, over ``selectors.round_ratings``."""

    region = _region("council__region")
    type = _type("council__council_type")
    stars = extend_schema_field(
        {
            "type": "integer",
            "enum": list(rules.STAR_VALUES),
            "description": "0 to 3; repeat for several (?stars=2&stars=3).",
        }
    )(
        filters.MultipleChoiceFilter(
            choices=STAR_CHOICES,
            help_text="0 to 3; repeat for several (?stars=2&stars=3).",
        )
    )
    status = filters.ChoiceFilter(choices=RatingStatus.choices, help_text="Rated or not rated.")
    special_measures = StrictBooleanFilter(
        field_name="on_special_measures", help_text="On special measures after this rating."
    )
    group = _by_slug(
        queryset=Group.objects.all(),
        to_field_name="slug",
        method="filter_group",
        error_messages=_unknown("group with the slug"),
        help_text="A group's slug: councils in the group in the round's year.",
    )
    change = filters.ChoiceFilter(
        choices=CHANGE_CHOICES, help_text="Stars since the previous published round."
    )
    ordering = NullsLastOrderingFilter(
        fields=[
            ("council__name", "council"),
            ("stars", "stars"),
            ("previous_stars", "previous_stars"),
            ("change_by", "change_by"),
            ("council__region__name", "region"),
            ("council__council_type", "council_type"),
            ("on_special_measures", "on_special_measures"),
            *[
                (f"{service}_{field}_rank", f"{service}_{field}")
                for service in rules.SERVICES
                for field in ("serving", "prospects")
            ],
        ],
        help_text="Sort by a field; a leading minus sorts descending, commas add more.",
    )

    class Meta:
        model = Rating
        fields = ["region", "type", "stars", "status", "special_measures", "group", "change"]

    def filter_group(self, queryset, name, group):
        members = GroupMembership.objects.filter(
            group=group, council=OuterRef("council"), year=OuterRef("round__year")
        )
        return queryset.filter(Exists(members))


class IndicatorFilter(filters.FilterSet):
    domain = _by_slug(
        queryset=Domain.objects.all(),
        to_field_name="slug",
        error_messages=_unknown("domain with the slug"),
        help_text="A domain's slug, e.g. children-and-families.",
    )

    class Meta:
        model = Indicator
        fields = ["domain"]


class IndicatorValueFilter(filters.FilterSet):
    council = _by_slug(
        queryset=Council.objects.all(),
        to_field_name="slug",
        error_messages=_unknown("council with the slug"),
        help_text="A council's slug.",
    )
    indicator = _by_slug(
        queryset=Indicator.objects.all(),
        to_field_name="code",
        error_messages=_unknown("indicator with the code"),
        help_text="An indicator's code, e.g. A1.",
    )

    class Meta:
        model = IndicatorValue
        fields = ["council", "indicator"]
