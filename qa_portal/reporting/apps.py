from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportingConfig(AppConfig):
    """The top floor: what reads every app (home pages, the committee pack, reminders, the jobs
    page, demo data). Nothing below it imports it (import-linter's contracts in .importlinter)."""

    name = "qa_portal.reporting"
    label = "reporting"
    verbose_name = "Reporting"

    def ready(self):
        from qa_portal import catchup, startup
        from qa_portal.reporting import access  # noqa: F401  registers who may see committee packs
        from qa_portal.reporting.models import ensure_visit_next_weights

        # Committee packs left waiting or half-made are taken up by every catch-up.
        catchup.register("qa_portal.reporting.committee.services.committee_packs_catch_up")
        # The weights of "Which provider to visit next": one row, there before anyone asks.
        post_migrate.connect(ensure_visit_next_weights, sender=self, dispatch_uid="reporting.visit_next_weights")
        # The last app in INSTALLED_APPS: start-up is over.
        startup.collect_from_here()
