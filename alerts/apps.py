from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "E-mail alerts"

    def ready(self):
        from ratings import signals

        from . import tasks

        signals.publication_scheduled.connect(
            tasks.on_publication_scheduled, dispatch_uid="alerts.send-on-publication"
        )
