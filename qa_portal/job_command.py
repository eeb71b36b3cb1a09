"""The shape shared by the management commands that run one of beat's daily jobs by hand
(reviews' schedule_reviews and refresh_risk_ratings): a run is recorded on the Jobs page as beat's
is (qa_portal.jobs.record_job); --dry-run does the same work in a transaction that is then rolled
back, so it changes nothing, records nothing and sends nothing (mail is queued on commit)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from qa_portal.jobs import record_job


class JobCommand(BaseCommand):
    """A subclass names its `job` (as on the Jobs page) and gives `run()`, the job's service call,
    returning a result with `summary() -> dict` (recorded with the run), and `report(result, dry_run=)`,
    which writes what was (or would be) done to stdout. Its module docstring is its help."""

    job: str

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would happen; change nothing.")

    def run(self):
        raise NotImplementedError

    def report(self, result, *, dry_run: bool) -> None:
        raise NotImplementedError

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            with transaction.atomic():
                result = self.run()
                transaction.set_rollback(True)
        else:
            with record_job(self.job) as summary:
                result = self.run()
                summary.update(result.summary())
        self.report(result, dry_run=dry_run)
