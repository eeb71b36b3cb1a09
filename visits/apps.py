from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_default_template(**_kwargs):
    """Put the default visit template back after a flush (as between transactional tests):
    the data migration that creates it does not run again then."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("visits.migrations.0002_default_template")
    migration.create_default_template(apps, None)


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Quality-assurance visits"

    def ready(self):
        from providers import panels
        from visits import access  # noqa: F401  registers who may see visits
        from visits.panels import provider_visits

        panels.register(provider_visits, order=10)

        post_migrate.connect(ensure_default_template, sender=self, dispatch_uid="visits.default_template")
