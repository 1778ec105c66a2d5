from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Performance reports"

    def ready(self):
        from ratings import signals

        from . import tasks

        signals.publication_scheduled.connect(
            tasks.on_publication_scheduled, dispatch_uid="reports.build-on-publication"
        )
