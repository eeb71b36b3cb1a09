from celery import shared_task

from qa_portal.jobs import run_daily
from reviews.risk import risk_ratings_daily
from reviews.scheduling import schedule_reviews as schedule


@shared_task(ignore_result=True)
def schedule_reviews() -> dict | None:
    """Daily (beat, REVIEW_SCHEDULING_TIME; the catch-up if that was missed): every provider with
    placements has its next review meeting, at its cadence. Returns the job's summary, or None if
    today's run had been made already."""
    return run_daily("schedule_reviews", lambda: schedule().summary())


@shared_task(ignore_result=True)
def refresh_risk_ratings() -> dict | None:
    """Daily (beat, 05:30; the catch-up if that was missed): end risk rating overrides past their
    look-again date (telling who set each), then work out every provider's risk rating by the rules
    again (reviews.risk). Returns the job's summary, or None if today's run had been made already."""
    return run_daily("refresh_risk_ratings", lambda: risk_ratings_daily().summary())
