"""`manage.py export_ratings --year 2004`: a round's ratings in the import format.

Writes each council's latest revision (embargoed ones too: this is the inspectorate's
copy) to standard output; importing the result again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from ratings import imports


class Command(BaseCommand):
    help = "Write a round's ratings to standard output as CSV, in the import_ratings format."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the round's year")

    def handle(self, *args, **options):
        try:
            imports.export_ratings(_Writer(self.stdout), year=options["year"])
        except imports.UsageError as error:
            raise CommandError(str(error)) from error


class _Writer:
    """A file-like view of a command's stdout that adds no line endings of its own."""

    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.write(text, ending="")
