from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Quality-assurance visits"

    def ready(self):
        from providers import panels
        from visits import access  # noqa: F401  registers who may see visits
        from visits.default_template import ensure_default_template
        from visits.panels import provider_visits

        panels.register(provider_visits, order=10)

        post_migrate.connect(ensure_default_template, sender=self, dispatch_uid="visits.default_template")
