from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Quality-assurance visits"

    def ready(self):
        from providers import of_concern, panels
        from qa_portal.documents import kinds
        from visits import access  # noqa: F401  registers who may see visits
        from visits.default_template import ensure_default_template
        from visits.panels import provider_visits
        from visits.privacy import register_privacy
        from visits.selectors import providers_with_a_no_on_their_latest_visit

        panels.register(provider_visits, order=10)
        of_concern.register(
            "Latest QA visit: not good enough for my own child",
            providers_with_a_no_on_their_latest_visit,
            permission="visits.view_visit",
            order=50,
        )

        # A long visit report is made by the worker.
        kinds.register_later("visits.documents.register_documents")
        # Their part of a young person's subject-access export.
        register_privacy()

        post_migrate.connect(ensure_default_template, sender=self, dispatch_uid="visits.default_template")
