"""The feedback form: the page, "Is this page useful?" and "Report a problem with this
page" (GOV.UK's two questions: what were you doing, what went wrong). One form for both:
the Yes and No buttons send ``useful``, the report sends the two texts."""

from django import forms

from . import paths
from .models import TEXT_MAX_LENGTH

UNKNOWN_PAGE = "We could not tell which page of this site it is about"


def _text(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": f"{label[:-1]} must be {TEXT_MAX_LENGTH:,} characters or fewer",
        },
    )


class FeedbackForm(forms.Form):
    # Both hidden: the page is the form's, and Yes and No are buttons.
    page = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    useful = forms.TypedChoiceField(
        widget=forms.HiddenInput,
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose Yes or No"},
    )
    doing = _text("What were you doing?")
    went_wrong = _text("What went wrong?")

    def __init__(self, *args, **kwargs):
        # The ids the templates give the textareas (feedback/_textarea.html), for the
        # error summary's links.
        kwargs.setdefault("auto_id", "feedback-%s")
        super().__init__(*args, **kwargs)

    def clean_page(self):
        path = paths.page_path(self.cleaned_data["page"])
        if path is None:
            raise forms.ValidationError(UNKNOWN_PAGE)
        return path

    def clean(self):
        data = super().clean()
        if data.get("useful") is None and not data.get("doing") and not data.get("went_wrong"):
            raise forms.ValidationError("Enter what you were doing or what went wrong")
        return data
