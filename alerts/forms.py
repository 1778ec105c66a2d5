"""The subscribe form: an address, and every publication or chosen councils.

The councils are checked against the list in Python (no query built from what was
sent), so that anything posted is an error message, never a database error.
"""

from __future__ import annotations

from django import forms

EVERYTHING = "everything"
COUNCILS = "councils"
SCOPES = [
    (EVERYTHING, "Every publication of star ratings, and every correction"),
    (COUNCILS, "Only the councils I choose"),
]


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Enter an email address of 254 characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        label="What do you want alerts about?",
        choices=SCOPES,
        error_messages={
            "required": "Select what you want alerts about",
            "invalid_choice": "Select what you want alerts about",
        },
    )
    councils = forms.MultipleChoiceField(
        label="Councils",
        required=False,
        error_messages={"invalid_choice": "Select councils from the list"},
    )

    def __init__(self, *args, councils, **kwargs):
        """``councils``: every council, as the page lists them."""
        super().__init__(*args, **kwargs)
        self.by_slug = {c.slug: c for c in councils}
        self.fields["councils"].choices = [(c.slug, c.name) for c in councils]

    def clean(self):
        cleaned = super().clean()
        chose_none = cleaned.get("scope") == COUNCILS and not cleaned.get("councils")
        if chose_none and "councils" not in self.errors:
            self.add_error("councils", "Select at least one council")
        return cleaned

    @property
    def everything(self) -> bool:
        return self.cleaned_data["scope"] == EVERYTHING

    @property
    def chosen(self) -> list:
        if self.everything:
            return []
        return [self.by_slug[slug] for slug in self.cleaned_data["councils"]]
