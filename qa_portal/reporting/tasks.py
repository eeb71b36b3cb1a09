"""The top floor's Celery tasks: thin, each takes an id or nothing and calls a service."""

from celery import shared_task

from qa_portal.jobs import run_daily
from qa_portal.reporting.committee.build import committee_pack_build
from qa_portal.reporting.reminders import send_reminders as remind


@shared_task(ignore_result=True)
def send_reminders() -> dict | None:
    """Daily (beat, REMINDERS_TIME; the catch-up if that was missed): recommendations due and
    overdue, late provider responses, drafts left too long, review meetings coming up, providers
    to flag to the QA lead. Each reminder goes once. Returns the job's summary (counts by kind of
    reminder), or None if today's reminders had been made already."""
    return run_daily("send_reminders", lambda: remind().summary())


# A pack of a busy year runs to hundreds of pages: it gets longer than the default limits.
@shared_task(bind=True, ignore_result=True, time_limit=20 * 60, soft_time_limit=18 * 60)
def build_committee_pack(self, version_id: int) -> str | None:
    """Make one queued version of a committee pack, with its progress shown as it goes. Safe to
    deliver twice; a version whose worker died is queued again by the catch-up. Returns "done",
    "failed", or None if the version was not waiting."""
    return committee_pack_build(version_id=version_id, worker=self.request.hostname or "")
