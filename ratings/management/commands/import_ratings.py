"""`manage.py import_ratings FILE.csv --year 2004`: load one round's judgements.

A contract other tools rely on: the flags, the columns and the exit statuses (0 done,
1 with every error on standard error and nothing written) do not change.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from ratings import imports, rules


class Command(BaseCommand):
    help = (
        "Load one round's judgements from a CSV file (columns: council, adults_serving, "
        "adults_prospects, children_serving, children_prospects, and optionally stars and "
        "special_measures). All or nothing: any error and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv", help="the CSV file ('-' for stdin)")
        parser.add_argument("--year", type=int, required=True, help="the round's year")
        parser.add_argument(
            "--publish-at",
            metavar="WHEN",
            help="publication time, e.g. 2004-11-19T00:00+00:00: schedules a round not yet "
            "published; for a published round, when the new revisions are published "
            "(default now)",
        )
        parser.add_argument(
            "--note",
            default="",
            help="public note of the new revisions of a published round (default 'Revised <date>')",
        )
        parser.add_argument(
            "--methodology",
            help="methodology version of a new round (default: the one named after the "
            f"year): {', '.join(rules.methodology_versions())}",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )
        parser.add_argument(
            "--sample", action="store_true", help="mark the round as generated sample data"
        )

    def handle(self, *args, **options):
        try:
            publish_at = (
                imports.parse_publish_at(options["publish_at"])
                if options["publish_at"] is not None
                else None
            )
            source = imports.open_csv(options["file"])
            result = imports.import_ratings(
                source,
                year=options["year"],
                publish_at=publish_at,
                note=options["note"],
                methodology=options["methodology"],
                dry_run=options["dry_run"],
                sample=options["sample"],
                progress=self.stdout.isatty(),
            )
        except imports.UsageError as error:
            raise CommandError(str(error)) from error
        except imports.ImportFailed as failure:
            report_failure(self, failure)
        report(self, result, verbose=options["verbosity"] >= 2)


def report(command: BaseCommand, result: imports.ImportResult, *, verbose: bool = False):
    """Warnings on standard error; what was done on standard output."""
    for warning in result.warnings:
        command.stderr.write(f"Warning: {warning}")
    for line in result.lines(verbose=verbose):
        command.stdout.write(line)


def report_failure(command: BaseCommand, failure: imports.ImportFailed):
    """Every error on standard error, then exit status 1."""
    command.stderr.write(f"Import failed: {failure.summary()}.")
    for error in failure.errors:
        command.stderr.write(f"  {error}")
    sys.exit(1)
