"""`manage.py create_demo_staff` (`make demo-users`): demo staff users and a demo round.

Prints each user's new password; run it again for new ones. For a local try-out only:
it refuses to run with DEBUG off.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workspace import demo


class Command(BaseCommand):
    help = "Create or reset the demo staff users (one per role) and the demo 2006 round."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off (never on a real deployment)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demo users are for local development; run with DEBUG=1 (make demo-users)."
            )
        result = demo.create_demo_staff()
        self.stdout.write("Demo staff (passwords are new each time this runs):\n")
        width = max(len(name) for name in result.passwords)
        for username, _, role, _, _ in demo.STAFF:
            self.stdout.write(f"  {username.ljust(width)}  {result.passwords[username]}  ({role})")
        made = "created" if result.round_created else "already there"
        self.stdout.write(
            f"\nDemo round {result.round.year} ({made}): "
            f"{result.round.get_status_display().lower()}."
        )
        if result.inspector_councils:
            names = ", ".join(c.name for c in result.inspector_councils)
            self.stdout.write(f"'inspector' is assigned {names}; every other council is agreed.")
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/")
