"""The league table's filters (django-filter): the form, its choices and its validation.

The league table page applies the cleaned data through ``selectors.league_rows`` (SQL);
the filter methods here apply the same filters to ``selectors.round_ratings`` querysets
(the ORM path, which the tests use as the oracle for the SQL). Choices are plain lists
read in one query (regions, and the groups with members in the round's year), so
validating a value costs no query, and an invalid value is a form error rather than a
server error. The group filter uses ``Exists`` so that a council is never listed twice.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from . import selectors
from .models import CouncilType, GroupMembership, Rating

STAR_CHOICES = [
    (str(stars), f"{stars} star" if stars == 1 else f"{stars} stars") for stars in range(4)
]
SPECIAL_MEASURES_CHOICES = [
    ("", "Any"),
    ("yes", "On special measures"),
    ("no", "Not on special measures"),
]
CHANGE_CHOICES = [("up", "Up"), ("down", "Down"), ("same", "Same")]


class LeagueTableFilter(django_filters.FilterSet):
    region = django_filters.ChoiceFilter(
        label="Region", field_name="council__region__slug", empty_label="All regions"
    )
    type = django_filters.ChoiceFilter(
        label="Type of council",
        field_name="council__council_type",
        choices=CouncilType.choices,
        empty_label="All types",
    )
    stars = django_filters.MultipleChoiceFilter(
        label="Stars",
        field_name="stars",
        choices=STAR_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    special_measures = django_filters.ChoiceFilter(
        label="Special measures",
        choices=SPECIAL_MEASURES_CHOICES[1:],
        empty_label="Any",
        widget=forms.RadioSelect,
        method="filter_special_measures",
    )
    group = django_filters.ChoiceFilter(
        label="Group", empty_label="All councils", method="filter_group"
    )
    change = django_filters.MultipleChoiceFilter(
        label="Change since the previous round",
        field_name="change",
        choices=CHANGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )

    class Meta:
        model = Rating
        fields = ["region", "type", "stars", "special_measures", "group", "change"]

    def __init__(self, data=None, queryset=None, *, round, **kwargs):
        self.round = round
        super().__init__(data, queryset, **kwargs)
        regions, groups = selectors.league_filter_choices(round.year)
        self.filters["region"].extra["choices"] = regions
        self.filters["group"].extra["choices"] = groups

    def filter_special_measures(self, queryset, name, value):
        if value in ("yes", "no"):
            return queryset.filter(on_special_measures=value == "yes")
        return queryset

    def filter_group(self, queryset, name, value):
        if not value:
            return queryset
        members = GroupMembership.objects.filter(
            council=OuterRef("council"), group__slug=value, year=self.round.year
        )
        return queryset.filter(Exists(members))

    @property
    def active(self) -> bool:
        """Whether any filter is set (for the "clear filters" link and the caption)."""
        return self.is_bound and any(
            self.form.cleaned_data.get(name) for name in self.filters if self.form.is_valid()
        )
