"""The top floor's Celery tasks: thin, each takes an id or nothing and calls a service."""

from celery import shared_task

# The app these tasks are sent with: made here if nothing has made it yet (Django's start-up does not).
import qa_portal.celery  # noqa: F401
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


@shared_task(bind=True, ignore_result=True, time_limit=60 * 60, soft_time_limit=55 * 60)
def build_committee_pack(self, version_id: int) -> str | None:
    """Make one queued version of a committee pack, with its progress shown as it goes. Safe to
    deliver twice; a version whose worker died is queued again by the catch-up. Returns "done",
    "failed", or None if the version was not waiting.

    Its time limit is an hour (the soft one, 55 minutes, fails the version with the error kept):
    the pack is laid out a few visit reports at a time (committee.pack), so its time grows with its
    visits, about a third of a CPU second each (100 visits: 34 CPU seconds, 300: 104, measured with
    bench/pack.py in November 2026), shared by two layout processes. A busy consortium year of 1,600
    visits is then about 10 minutes of CPU, 5 to 6 of each core, and an hour leaves room for a
    machine as busy as the bench found its own (a load of 12 to 18 on 2 cores made everything three
    to four times slower) while still catching a pack that will never finish."""
    return committee_pack_build(version_id=version_id, worker=self.request.hostname or "")
