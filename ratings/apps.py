from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Star ratings"

    def ready(self):
        # The listeners: the embargo gate's schedule and the public page cache.
        from . import embargo, page_cache, signals  # noqa: F401

        # Any write to the public ratings data is announced. The audit trail is never
        # public (nor are the workspace's working copies, which live in its own app).
        for model in self.get_models():
            if model.__name__.startswith("Historical"):
                continue
            post_save.connect(signals.announce_data_changed, sender=model, weak=False)
            post_delete.connect(signals.announce_data_changed, sender=model, weak=False)
