from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Provider register"

    def ready(self):
        from providers import access  # noqa: F401  registers who may see providers
        from providers.documents import register_documents
        from providers.subject_access import register_parts

        # A long provider list's download is made by the worker.
        register_documents()
        # The register's parts of a young person's subject-access export (providers.privacy).
        register_parts()
