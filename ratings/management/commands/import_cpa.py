"""`manage.py import_cpa FILE.csv`: the Audit Commission's CPA results.

Columns: council, year, category (excellent, good, fair, weak, poor), and optionally
education_score, childrens_social_care_score, core_service_score (1-4), note and source.
All or nothing; importing the same file again changes nothing.
"""

from django.core.management.base import BaseCommand

from ratings import imports

from .import_ratings import run_import


class Command(BaseCommand):
    help = (
        "Load Comprehensive Performance Assessment results from a CSV file (columns: "
        "council, year, category, and optionally the three scores, note and source). "
        "All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv", help="the CSV file ('-' for stdin)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )
        parser.add_argument(
            "--sample",
            action="store_true",
            help="mark the results as generated sample data (they never replace published results)",
        )

    def handle(self, *args, **options):
        run_import(
            self,
            imports.import_cpa,
            options,
            dry_run=options["dry_run"],
            sample=options["sample"],
        )
