"""`manage.py load_portal_data [--no-sample]`: load the bundled data; safe to run again."""

from django.core.management.base import BaseCommand, CommandError

from ratings import bundled_data, imports


class Command(BaseCommand):
    help = (
        "Load the bundled data: councils, the assessment framework, indicators, published "
        "facts and (unless --no-sample) the sample rounds. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-sample",
            action="store_true",
            help="load the reference data only (councils, domains, standards, indicators)",
        )

    def handle(self, *args, **options):
        try:
            bundled_data.load_portal_data(sample=not options["no_sample"], stdout=self.stdout)
        except imports.ImportFailed as error:
            raise CommandError(f"The bundled data did not load:\n{error}") from error
        self.stdout.write(self.style.SUCCESS("Bundled data loaded."))
