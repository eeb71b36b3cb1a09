from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Quality-assurance visits"

    def ready(self):
        from visits import access  # noqa: F401  registers who may see visits
