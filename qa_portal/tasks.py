"""Thin Celery tasks: each takes an id or nothing, and calls a service."""

from celery import shared_task

from qa_portal import delivery, health, intentions
from qa_portal import held as held_forms
from qa_portal.jobs import record_job


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Scheduled by beat, run by a worker: its timestamp tells /healthz both are alive."""
    health.record_heartbeat()


@shared_task(bind=True, ignore_result=True, max_retries=delivery.MAX_ATTEMPTS)
def send_notification(self, notification_id: int) -> None:
    """Email one notification; on failure try again later, waiting longer each time."""
    if delivery.deliver(notification_id) == "retry":
        raise self.retry(countdown=min(60 * 2**self.request.retries, 3600))


@shared_task(ignore_result=True)
def send_pending_notifications() -> dict:
    """Beat's sweep: send whatever is still waiting (the broker was down, or a worker died)."""
    with record_job("send_pending_notifications") as summary:
        summary.update(delivery.send_pending())
    return summary


@shared_task(ignore_result=True)
def delete_expired_held_submissions() -> int:
    """Hourly: forget forms held for people who did not come back for them in time; returns how many."""
    return held_forms.delete_expired()


@shared_task(ignore_result=True)
def delete_used_form_tokens() -> dict:
    """Daily (beat): forget create forms' one-time tokens used more than intentions.KEEP_FOR ago.
    Returns the job's summary: {"deleted": n}."""
    with record_job("delete_used_form_tokens") as summary:
        summary["deleted"] = intentions.delete_used_tokens()
    return summary
