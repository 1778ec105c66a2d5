"""`manage.py prune_alerts`: delete the subscriptions never confirmed whose confirmation
link has expired (``send_alerts`` does this too on each run)."""

from django.core.management.base import BaseCommand

from alerts import subscriptions


class Command(BaseCommand):
    help = "Delete the e-mail alert subscriptions never confirmed whose link has expired."

    def handle(self, *args, **options):
        pruned = subscriptions.prune()
        self.stdout.write(
            self.style.SUCCESS(
                f"{pruned} unconfirmed address{'' if pruned == 1 else 'es'} deleted."
            )
        )
