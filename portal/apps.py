from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal shell"

    def ready(self):
        from ratings import signals

        # db_router: connects the replica router's receiver of data_changed in every
        # process (the worker and the commands too, which write without a request).
        from . import db_router, tasks  # noqa: F401

        signals.publication_scheduled.connect(
            tasks.on_publication_scheduled, dispatch_uid="portal.prerender-on-publication"
        )
