"""The workspace's forms. Labels are the words inspectors use; choices come from the rules."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from ratings import rules, vocabulary
from ratings.models import Domain, Indicator, IndicatorValue, RoundStatus

from . import roles
from .services.publication import PAST_TIME

SERVING = [("", "Not decided")] + [
    (v, rules.SERVING_LABELS[v].capitalize()) for v in rules.SERVING_LEVELS
]
PROSPECTS = [("", "Not decided")] + [(v, v.capitalize()) for v in rules.PROSPECT_LEVELS]
SERVICES = {"adults": "adults", "children": "children"}


class AssessmentForm(forms.Form):
    """The four judgements and each domain's evidence. Judgements may be left undecided
    in a draft; submitting needs all four."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    adults_serving = forms.ChoiceField(
        label="Are adults' services serving people well?", choices=SERVING, required=False
    )
    adults_prospects = forms.ChoiceField(
        label="Adults' services: capacity for improvement", choices=PROSPECTS, required=False
    )
    children_serving = forms.ChoiceField(
        label="Are children's services serving people well?", choices=SERVING, required=False
    )
    children_prospects = forms.ChoiceField(
        label="Children's services: capacity for improvement", choices=PROSPECTS, required=False
    )

    def __init__(self, *args, domains: list[Domain], **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = domains
        for domain in domains:
            self.fields[f"summary_{domain.slug}"] = forms.CharField(
                label="Evidence summary",
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                max_length=20000,
            )
            self.fields[f"notes_{domain.slug}"] = forms.CharField(
                label="Standards notes",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                max_length=20000,
            )

    @staticmethod
    def initial_for(assessment, evidence) -> dict:
        initial = {"version": assessment.version}
        for name in (
            "adults_serving",
            "adults_prospects",
            "children_serving",
            "children_prospects",
        ):
            initial[name] = getattr(assessment, name)
        for row in evidence:
            initial[f"summary_{row.domain.slug}"] = row.summary
            initial[f"notes_{row.domain.slug}"] = row.standards_notes
        return initial

    def judgements(self) -> dict:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {
            name: data.get(name, "")
            for name in (
                "adults_serving",
                "adults_prospects",
                "children_serving",
                "children_prospects",
            )
        }

    def evidence(self) -> dict[int, tuple[str, str]]:
        return {
            domain.pk: (
                self.cleaned_data.get(f"summary_{domain.slug}", "").strip(),
                self.cleaned_data.get(f"notes_{domain.slug}", "").strip(),
            )
            for domain in self.domains
        }

    def domain_fields(self):
        """(domain, summary field, notes field) for the template."""
        return [
            (domain, self[f"summary_{domain.slug}"], self[f"notes_{domain.slug}"])
            for domain in self.domains
        ]


class WhatIfForm(AssessmentForm):
    """The judgements alone, for the what-if preview (no version or evidence needed)."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, domains=[], **kwargs)


class ReturnForm(forms.Form):
    comments = forms.CharField(
        label="What needs to change",
        help_text="The inspector sees these comments.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Enter comments for the inspector"},
    )


class RoundStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Round status",
        choices=[
            (RoundStatus.DRAFT, "Draft (not yet open)"),
            (RoundStatus.OPEN, "Open for judgements"),
            (RoundStatus.CLOSED, "Closed for moderation"),
        ],
        widget=forms.RadioSelect,
    )


class PublicationTimeForm(forms.Form):
    """A publication date and time, London time, in the future: publishing at once is
    "Publish now", a separate step that shows what becomes public first."""

    date = forms.DateField(
        label="Publication date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the publication date", "invalid": "Enter a real date"},
    )
    time = forms.TimeField(
        label="Publication time",
        help_text="London time, for example 09:30.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "Enter the publication time", "invalid": "Enter a real time"},
    )

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            try:
                when = timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))
            except (OverflowError, ValueError):
                raise forms.ValidationError(
                    "Enter a real publication date and time", code="invalid"
                ) from None
            if when <= (self.now or timezone.now()):
                raise forms.ValidationError(PAST_TIME, code="past")
            data["publication_at"] = when
        return data


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label="Public note",
        help_text='Shown with the revision, for example "Revised 21 November 2002: ...".',
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the public note for the revision"},
    )


def inspectors():
    users = get_user_model().objects.filter(is_active=True)
    app, codename = roles.ENTER.split(".")
    return (
        users.filter(
            Q(
                groups__permissions__codename=codename,
                groups__permissions__content_type__app_label=app,
            )
            | Q(user_permissions__codename=codename)
        )
        .distinct()
        .order_by("username")
    )


class ReopenForm(forms.Form):
    inspector = forms.ModelChoiceField(
        label="Inspector who makes the correction",
        queryset=None,
        error_messages={"required": "Choose the inspector who makes the correction"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].queryset = inspectors()
        self.fields["inspector"].label_from_instance = lambda u: u.get_full_name() or u.username


class IndicatorUploadForm(forms.Form):
    # A round's file is about 4,000 rows and 100 KB. The limits keep the check of a file,
    # which the inspector waits for, well inside the server's timeout: a bigger file is
    # split, or loaded with manage.py import_indicator_values.
    MAX_BYTES = 2 * 1024 * 1024
    MAX_ROWS = 10_000
    LIMITS = f"The file must be smaller than 2 MB, with at most {MAX_ROWS:,} rows"

    file = forms.FileField(
        label="Upload a CSV file",
        help_text=f"Columns: council, indicator, value (and optionally exempt, note). {LIMITS}.",
        required=False,
    )
    # The checked file, carried from the preview to the confirmation.
    content = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        too_big = forms.ValidationError(f"{self.LIMITS}; split it into smaller files.")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                raise too_big
            try:
                data["content"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(
                    "The file is not UTF-8 text; save it as 'CSV UTF-8' and try again."
                ) from error
        if not data.get("content"):
            raise forms.ValidationError("Choose a CSV file to upload.")
        # The confirmation posts the text back: it is held to the limit of the file.
        if len(data["content"].encode()) > self.MAX_BYTES:
            raise too_big
        return data


def indicator_rows(round, council) -> list[tuple[Indicator, IndicatorValue | None]]:
    values = {
        v.indicator_id: v for v in IndicatorValue.objects.filter(round=round, council=council)
    }
    return [
        (indicator, values.get(indicator.pk))
        for indicator in Indicator.objects.select_related("domain")
    ]


class IndicatorValueField(forms.DecimalField):
    """An indicator value read as the CSV upload reads it (``vocabulary.parse_decimal``:
    "45%", "1,234.5", rounded to three places), so that a value the upload takes is taken
    here too, and infinity, NaN or a number the column cannot hold is an error naming the
    range rather than a failure when it is saved."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return vocabulary.parse_decimal(value)
        except vocabulary.NumberOutOfRange:
            raise forms.ValidationError(
                f"Enter a number from {vocabulary.decimal_range()}", code="out_of_range"
            ) from None
        except vocabulary.VocabularyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        # DecimalField's own check of finiteness is parse_decimal's, done above.
        forms.Field.validate(self, value)


class IndicatorValuesForm(forms.Form):
    """One council's value (and exemption) for every indicator."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for indicator, value in rows:
            self.fields[f"value_{indicator.pk}"] = IndicatorValueField(
                label=f"{indicator.code} {indicator.title}",
                help_text=indicator.unit,
                required=False,
                max_digits=12,
                decimal_places=3,
                initial=None if value is None else value.value,
                error_messages={"invalid": "Enter a number, like 12.5, or leave it empty"},
            )
            self.fields[f"exempt_{indicator.pk}"] = forms.BooleanField(
                label=f"{indicator.code}: exempt from the key-indicator cap",
                required=False,
                initial=bool(value and value.exempt),
            )

    def grouped(self):
        """[(domain, [(indicator, value field, exempt field)])] for the template."""
        groups: dict = {}
        for indicator, _ in self.rows:
            groups.setdefault(indicator.domain, []).append(
                (indicator, self[f"value_{indicator.pk}"], self[f"exempt_{indicator.pk}"])
            )
        return list(groups.items())

    def values(self) -> dict[int, tuple]:
        return {
            indicator.pk: (
                self.cleaned_data.get(f"value_{indicator.pk}"),
                self.cleaned_data.get(f"exempt_{indicator.pk}", False),
            )
            for indicator, _ in self.rows
        }
