"""Built report files: PDFs and ZIPs rendered ahead of the first request.

A file is keyed by the fingerprint of what it shows (``reports.assembly``): a correction
or any change to the data gives a new fingerprint and so a new file; the old one is never
served as current again. Files of a round are built before its publication and served
only after it (the views ask the embargo gate, ``ratings.embargo``, first).
"""

from django.db import models
from simple_history.models import HistoricalRecords


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


class BuildJob(models.Model):
    """One file to build, and how its build is going: the single flight of its builds
    (one row per file, whoever asks), its retries and its lease.

    A file is named by what ``BuiltReport`` stores it under (kind, round, council,
    fingerprint); ``at`` is the moment its report is assembled as (any moment that gives
    that fingerprint). A ZIP job builds the whole round: every council PDF, the national
    PDF and the ZIP. ``reports.builds`` moves a job between states; nothing else should.
    """

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        BUILT = "built", "Built"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=BuiltReport.Kind.choices)
    round = models.ForeignKey(
        "ratings.AssessmentRound", on_delete=models.CASCADE, related_name="build_jobs"
    )
    council = models.ForeignKey(
        "ratings.Council",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="build_jobs",
    )
    fingerprint = models.CharField(max_length=64)
    at = models.DateTimeField(help_text="The moment the report is assembled as.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the next attempt may start (a retry waits for it).
    run_after = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A running job's worker renews this as it goes; once it has passed, the worker is
    # taken to be dead and anyone may take the job over.
    lease_until = models.DateTimeField(null=True, blank=True)
    # Who asked for a rebuild, and when (the workspace's audit trail reads this history);
    # the worker's own progress is written with update(), which keeps no history.
    history = HistoricalRecords(
        excluded_fields=["updated_at", "lease_until", "started_at", "finished_at", "run_after"]
    )

    class Meta:
        ordering = ["round__year", "kind", "council__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "round", "council", "fingerprint"], name="one_job_per_file"
            ),
            models.UniqueConstraint(
                fields=["kind", "round", "fingerprint"],
                condition=models.Q(council__isnull=True),
                name="one_round_job_per_file",
            ),
        ]
        indexes = [models.Index(fields=["state", "round"], name="build_job_state")]

    def __str__(self):
        what = self.council.name if self.council_id else self.get_kind_display()
        return f"{self.round.year} {what} ({self.get_state_display().lower()})"
