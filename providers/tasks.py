"""The provider register's Celery tasks: thin, each takes an id and calls a service."""

from celery import shared_task

# The app these tasks are sent with: made here if nothing has made it yet (Django's start-up does not).
import qa_portal.celery  # noqa: F401
from providers.importers.runs import import_run_build


# A big file takes many minutes: longer than the defaults. A message delivered again while the first
# worker is still at it (after the broker's visibility timeout) finds the job taken and does nothing.
@shared_task(bind=True, ignore_result=True, time_limit=60 * 60, soft_time_limit=58 * 60)
def run_import(self, run_id: int) -> str | None:
    """Check or import one big uploaded file (the job queued on the run), with its progress shown as
    it goes. Safe to deliver twice; one whose worker died is queued again by the catch-up. Returns
    "done", "failed", or None if no job was waiting."""
    return import_run_build(run_id=run_id, worker=self.request.hostname or "")
