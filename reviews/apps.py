from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Review meetings and recommendations"

    def ready(self):
        from providers import panels
        from reviews import access  # noqa: F401  registers who may see recommendations
        from reviews.panels import provider_reviews

        panels.register(provider_reviews, order=20)
