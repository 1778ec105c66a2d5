"""What visitors say about a public page: "Is this page useful?" and "Report a problem".

Nothing here identifies anyone: no name, no e-mail address, no IP address, no cookie.
The page is stored as its path alone (``feedback.paths``), never its query string, which
could carry whatever a visitor typed into a search box.
"""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

PATH_MAX_LENGTH = 500
TEXT_MAX_LENGTH = 1200


class PageFeedback(models.Model):
    path = models.CharField(
        "page", max_length=PATH_MAX_LENGTH, db_index=True, help_text="The page's path on the site."
    )
    useful = models.BooleanField(
        "useful?", null=True, blank=True, help_text="Empty for a problem report alone."
    )
    doing = models.TextField("what they were doing", blank=True, max_length=TEXT_MAX_LENGTH)
    went_wrong = models.TextField("what went wrong", blank=True, max_length=TEXT_MAX_LENGTH)
    created_at = models.DateTimeField("sent", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "page feedback"
        verbose_name_plural = "page feedback"
        ordering = ["-created_at", "-id"]
        # As in the form (feedback.forms): the database keeps the same rules.
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(useful__isnull=True, doing="", went_wrong=""),
                name="feedback_says_something",
            ),
            models.CheckConstraint(
                condition=models.Q(path__startswith="/"), name="feedback_path_is_a_path"
            ),
            *(
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(field), TEXT_MAX_LENGTH),
                    name=f"feedback_{field}_length_limited",
                )
                for field in ("doing", "went_wrong")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.path} ({self.created_at:%d %B %Y %H:%M})"
