"""`manage.py build_reports --year 2004`: build a round's report PDFs and ZIP now."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ratings.models import AssessmentRound
from reports import prebuilt


class Command(BaseCommand):
    help = (
        "Build (or find, if already built) every council report PDF of a round, the national "
        "report PDF and the ZIP of them all, as the public will see them at the round's "
        "publication (or now, if that has passed)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the round's year")
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar (e.g. in logs)"
        )

    def handle(self, *args, year, no_progress, **options):
        round = AssessmentRound.objects.filter(year=year).first()
        if round is None:
            years = ", ".join(
                str(y) for y in AssessmentRound.objects.values_list("year", flat=True)
            )
            raise CommandError(f"There is no {year} round; the rounds are: {years or 'none'}.")

        def progress(councils):
            return tqdm(
                councils,
                desc=f"{year} council reports",
                unit="report",
                file=self.stderr._out,
                disable=no_progress,
            )

        started = time.perf_counter()
        built = prebuilt.build_round(round, progress=progress)
        if built is None:
            raise CommandError(
                f"Nothing of the {year} round is or will be public: it is not scheduled."
            )
        took = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Built the {year} reports in {took:.1f} s: {built.file.name} "
                f"({built.size:,} bytes)."
            )
        )
