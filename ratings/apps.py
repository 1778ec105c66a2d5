from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = "Star ratings"

    def ready(self):
        from . import page_cache

        # Any write to the public ratings data makes every cached public page stale. The
        # workspace's working copies and the audit trail are never public.
        private = {"Assessment", "Assignment", "DomainEvidence"}
        for model in self.get_models():
            if model.__name__ in private or model.__name__.startswith("Historical"):
                continue
            post_save.connect(page_cache.bump_generation, sender=model, weak=False)
            post_delete.connect(page_cache.bump_generation, sender=model, weak=False)
