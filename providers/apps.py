from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "providers"
    verbose_name = "Provider register"

    def ready(self):
        from providers import access  # noqa: F401  registers who may see providers
        from providers.subject_access import register_parts
        from qa_portal.catchup import register as register_catch_up_step
        from qa_portal.documents import kinds

        # A long provider list's download is made by the worker.
        kinds.register_later("providers.documents.register_documents")
        # Big files' checks and imports left waiting or half-done are taken up by every catch-up.
        register_catch_up_step("providers.importers.queue.imports_catch_up")
        # The register's parts of a young person's subject-access export (providers.privacy).
        register_parts()
