"""`manage.py send_alerts`: send every e-mail alert that is due and not sent yet.

The worker's task does this at each publication moment; run this as well when the worker
starts and every few minutes from a timer (docs/operations.md), so that an alert whose
task was lost, or whose moment moved, still goes. Running it again sends nothing twice.
"""

from django.core.management.base import BaseCommand

from alerts import sending


class Command(BaseCommand):
    help = (
        "Send the e-mail alerts of every publication that has happened and not been "
        "alerted yet, and delete unconfirmed subscriptions whose link has expired."
    )

    def handle(self, *args, **options):
        outcome = sending.send_due_alerts()
        style = self.style.ERROR if outcome.failed else self.style.SUCCESS
        self.stdout.write(style(f"{outcome}."))
