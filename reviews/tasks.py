from celery import shared_task

# The app these tasks are sent with: made here if nothing has made it yet (Django's start-up does not).
import qa_portal.celery  # noqa: F401
from qa_portal.jobs import run_daily
from reviews.responses import remind_decisions
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


@shared_task(ignore_result=True)
def remind_safe_to_remain_decisions() -> dict:
    """Hourly (beat, at 10 past): the "safe to remain?" decisions are due 24 hours after an Inadequate
    judgement is recorded, too soon for the daily reminders alone. Each decision due within a few hours
    is reminded to its social worker once, and each overdue escalated to the QA lead once
    (reviews.responses.remind_decisions; the daily reminders run it too). Returns how many were told."""
    return remind_decisions()
