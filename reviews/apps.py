from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Review meetings and recommendations"

    def ready(self):
        from providers import panels
        from reviews import access  # noqa: F401  registers who may see recommendations
        from reviews.models import ensure_cadence_thresholds
        from reviews.panels import provider_reviews

        panels.register(provider_reviews, order=20)
        post_migrate.connect(ensure_cadence_thresholds, sender=self, dispatch_uid="reviews.cadence_thresholds")
