"""Built report files: PDFs and ZIPs rendered ahead of the first request.

A file is keyed by the fingerprint of what it shows (``reports.assembly``): a correction
or any change to the data gives a new fingerprint and so a new file; the old one is never
served as current again. Files of a round are built before its publication and served
only after it (the views ask the embargo gate, ``ratings.embargo``, first).
"""

from django.db import models


class BuiltReport(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", "Council report (PDF)"
        NATIONAL = "national", "National report (PDF)"
        ZIP = "zip", "All council reports (ZIP)"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    round = models.ForeignKey(
        "ratings.AssessmentRound", on_delete=models.CASCADE, related_name="built_reports"
    )
    council = models.ForeignKey(
        "ratings.Council",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="built_reports",
    )
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(upload_to="reports/", max_length=300)
    size = models.PositiveIntegerField()
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round__year", "kind", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "round", "council", "fingerprint"], name="one_file_per_content"
            ),
            models.UniqueConstraint(
                fields=["kind", "round", "fingerprint"],
                condition=models.Q(council__isnull=True),
                name="one_round_file_per_content",
            ),
        ]

    def __str__(self):
        return self.file.name
