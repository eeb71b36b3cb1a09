"""Thin Celery tasks: each takes an id or nothing, and calls a service."""

from celery import shared_task

from qa_portal import health, notify
from qa_portal.jobs import record_job


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Scheduled by beat, run by a worker: its timestamp tells /healthz both are alive."""
    health.record_heartbeat()


@shared_task(bind=True, ignore_result=True, max_retries=notify.MAX_ATTEMPTS)
def send_notification(self, notification_id: int) -> None:
    """Email one notification; on failure try again later, waiting longer each time."""
    if notify.deliver(notification_id) == "retry":
        raise self.retry(countdown=min(60 * 2**self.request.retries, 3600))


@shared_task(ignore_result=True)
def send_pending_notifications() -> dict:
    """Beat's sweep: send whatever is still waiting (the broker was down, or a worker died)."""
    with record_job("send_pending_notifications") as summary:
        summary.update(notify.send_pending())
    return summary


@shared_task(ignore_result=True)
def send_reminders() -> dict:
    """Daily: recommendations due and overdue, late provider responses, drafts left too long,
    review meetings coming up, providers to flag to the QA lead. Each reminder goes once."""
    from qa_portal.reminders import send_reminders as remind  # reads every app: imported when run

    with record_job("send_reminders") as summary:
        summary.update(remind().summary())
    return summary


# A pack of a busy year runs to hundreds of pages: it gets longer than the default limits.
@shared_task(ignore_result=True, time_limit=20 * 60, soft_time_limit=18 * 60)
def build_committee_pack(version_id: int) -> str | None:
    """Make one queued version of a committee pack, with its progress shown as it goes. Not
    retried: a failed version stays failed with its error, and the manager generates another."""
    from qa_portal.committee import committee_pack_build  # reads every app: imported when run

    return committee_pack_build(version_id=version_id)
