from celery import shared_task

from qa_portal.jobs import run_daily
from reviews.scheduling import schedule_reviews as schedule


@shared_task(ignore_result=True)
def schedule_reviews() -> dict | None:
    """Daily (beat, REVIEW_SCHEDULING_TIME; the catch-up if that was missed): every provider with
    placements has its next review meeting, at its cadence. Returns the job's summary, or None if
    today's run had been made already."""
    return run_daily("schedule_reviews", lambda: schedule().summary())
