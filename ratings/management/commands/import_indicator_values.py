"""`manage.py import_indicator_values FILE.csv --year 2004`: councils' indicator values.

Columns: council, indicator (code), value (a number or empty), and optionally exempt
(yes/no) and note. All or nothing; importing the same file again changes nothing.
"""

from django.core.management.base import BaseCommand

from ratings import imports, rules

from .import_ratings import run_import


class Command(BaseCommand):
    help = (
        "Load councils' indicator values for a round from a CSV file (columns: council, "
        "indicator, value, and optionally exempt and note). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv", help="the CSV file ('-' for stdin)")
        parser.add_argument("--year", type=int, required=True, help="the round's year")
        parser.add_argument(
            "--methodology",
            help="methodology version if the round is new (default: the one named after the "
            f"year): {', '.join(rules.methodology_versions())}",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )

    def handle(self, *args, **options):
        run_import(
            self,
            imports.import_indicator_values,
            options,
            year=options["year"],
            methodology=options["methodology"],
            dry_run=options["dry_run"],
        )
