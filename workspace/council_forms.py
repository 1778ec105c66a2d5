"""The forms of councils' part in the workspace (challenges, representations, responses)
and the inspectorate's answers to them."""

from __future__ import annotations

from django import forms
from django.core.validators import FileExtensionValidator

from ratings.models import CouncilResponse

from .models import Challenge

EVIDENCE_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "csv", "txt", "png", "jpg", "jpeg"]
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


def _no_control_characters(value: str) -> str:
    if any(ord(c) < 32 and c not in "\r\n\t" for c in value):
        raise forms.ValidationError("Remove the control characters from the text.")
    return value


class ChallengeForm(forms.Form):
    subject = forms.ChoiceField(
        label="What do you think is wrong?",
        choices=Challenge.Subject.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you think is wrong"},
    )
    about = forms.CharField(
        label="Which judgement, value or statement",
        max_length=300,
        help_text=(
            "For example “Children: capacity for improvement”, “BV 54” or the sentence quoted."
        ),
        error_messages={"required": "Enter which judgement, value or statement"},
    )
    evidence = forms.CharField(
        label="Why it is wrong, and your evidence",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Enter why it is wrong and your evidence"},
    )
    evidence_file = forms.FileField(
        label="A file of evidence (optional)",
        required=False,
        help_text="PDF, Word, OpenDocument, Excel, CSV, text or an image; up to 5 MB.",
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )

    def clean_evidence(self):
        return _no_control_characters(self.cleaned_data["evidence"])

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload and upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError("The file must be 5 MB or smaller.")
        return upload


class RepresentationForm(forms.Form):
    grounds = forms.CharField(
        label="Why the rating should be reviewed",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Say which judgements you disagree with and why, with your evidence.",
        error_messages={"required": "Enter why the rating should be reviewed"},
    )

    def clean_grounds(self):
        return _no_control_characters(self.cleaned_data["grounds"])


class ResponseForm(forms.Form):
    text = forms.CharField(
        label="Your council's response",
        max_length=CouncilResponse.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            f"Plain text, up to {CouncilResponse.MAX_LENGTH:,} characters. A publisher checks "
            "it before it is shown beside your rating, with your council's name and the date."
        ),
        error_messages={"required": "Enter your council's response"},
    )

    def clean_text(self):
        return _no_control_characters(self.cleaned_data["text"].strip())


class ChallengeAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in Challenge.Outcome.choices if c[0] != Challenge.Outcome.OPEN],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    answer = forms.CharField(
        label="Reasons",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The council sees these. Say what will change, if anything.",
        error_messages={"required": "Enter the reasons"},
    )


class RepresentationDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label="Decision",
        choices=[("yes", "Upheld: the rating will be corrected"), ("no", "Not upheld")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the decision"},
    )
    decision = forms.CharField(
        label="Reasons",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the reasons"},
    )


class ResponseModerationForm(forms.Form):
    publish = forms.TypedChoiceField(
        label="Decision",
        choices=[("yes", "Publish it beside the rating"), ("no", "Do not publish it")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to publish it"},
    )
    reason = forms.CharField(
        label="Reason (the council sees it)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publish") is False and not cleaned.get("reason"):
            self.add_error("reason", "Say why it is not published")
        return cleaned
