"""`manage.py import_ratings FILE.csv --year 2004`: load one round's judgements.

A contract other tools rely on: the flags, the columns and the exit statuses (0 done,
1 with every error on standard error and nothing written) do not change.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from ratings import imports, rules, signals


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
        except imports.UsageError as error:
            raise CommandError(str(error)) from error
        run_import(
            self,
            imports.import_ratings,
            options,
            year=options["year"],
            publish_at=publish_at,
            note=options["note"],
            methodology=options["methodology"],
            dry_run=options["dry_run"],
            sample=options["sample"],
        )


def run_import(command: BaseCommand, importer, options, **arguments) -> None:
    """Run one of the ``imports`` functions on the command's file and report: warnings on
    standard error, what was done on standard output; on failure the first errors (and how
    many more) on standard error and exit status 1. After an import into a round, announce
    ``publication_scheduled`` for it (its report files are built again)."""
    try:
        result = importer(
            imports.open_csv(options["file"]), progress=command.stdout.isatty(), **arguments
        )
    except imports.UsageError as error:
        raise CommandError(str(error)) from error
    except imports.ImportFailed as failure:
        command.stderr.write(f"Import failed: {failure.summary()}.")
        for line in [*failure.errors, *failure.unlisted_line()]:
            command.stderr.write(f"  {line}")
        sys.exit(1)
    for warning in result.warnings:
        command.stderr.write(f"Warning: {warning}")
    for line in result.lines(verbose=options["verbosity"] >= 2):
        command.stdout.write(line)
    if arguments.get("year") is not None and not arguments.get("dry_run"):
        # What the round's reports show may have changed (a round scheduled, a correction
        # published, values of a scheduled round): the reports app builds its files now,
        # exactly as after the workspace's publication. Nothing public that is not there
        # is built: the build asks the embargo gate what will be public.
        signals.announce_publication_scheduled(arguments["year"])
