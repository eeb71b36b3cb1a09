from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Provider register"

    def ready(self):
        from providers import access  # noqa: F401  registers who may see providers
