from celery import shared_task

from qa_portal.jobs import record_job
from reviews.scheduling import schedule_reviews as schedule


@shared_task(ignore_result=True)
def schedule_reviews() -> dict:
    """Daily: every provider with placements has its next review meeting, at its cadence."""
    with record_job("schedule_reviews") as summary:
        summary.update(schedule().summary())
    return summary
