from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal shell"

    def ready(self):
        from ratings import signals

        from . import tasks

        signals.publication_scheduled.connect(
            tasks.on_publication_scheduled, dispatch_uid="portal.prerender-on-publication"
        )
