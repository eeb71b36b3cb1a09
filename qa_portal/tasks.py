"""Thin Celery tasks: each takes an id or nothing, and calls a service."""

from contextlib import suppress
from datetime import datetime

from celery import shared_task
from django.utils import timezone

# The app these tasks are sent with: made here if nothing has made it yet (Django's start-up does not).
import qa_portal.celery  # noqa: F401
from qa_portal import access_log, catchup, delivery, health, intentions
from qa_portal import held as held_forms
from qa_portal.documents import making
from qa_portal.jobs import record_job, run_daily

# A failed email's next attempt is queued with a countdown when it is this near; later ones are
# left to the catch-up (every CATCH_UP_SECONDS), which needs nothing kept in the broker.
COUNTDOWN_AT_MOST = 10 * 60


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Scheduled by beat, run by a worker: its timestamp tells /healthz both are alive."""
    health.record_heartbeat()


@shared_task(ignore_result=True)
def send_notification(notification_id: int) -> str | None:
    """Email one notification if it is due; after a failed attempt, queue the next one when it is
    near (the catch-up sends it otherwise). Returns what delivery.deliver returned."""
    outcome = delivery.deliver(notification_id)
    if outcome == "retry":
        next_at = (
            delivery.Notification.objects.filter(pk=notification_id).values_list("next_attempt_at", flat=True).first()
        )
        wait = (next_at - timezone.now()).total_seconds() if next_at else None
        if wait is not None and wait <= COUNTDOWN_AT_MOST:
            # If the broker went away meanwhile, the catch-up sends it when it is due.
            with suppress(Exception):
                send_notification.apply_async((notification_id,), countdown=max(wait, 0) + 1)
    return outcome


@shared_task(ignore_result=True)
def catch_up(*, worker: str = "", worker_started_at: str | None = None, connected_at: str | None = None) -> dict:
    """Beat's catch-up every CATCH_UP_SECONDS, also queued by each worker as soon as it has
    connected to Redis (qa_portal.celery.CatchUpOnConnect), naming itself, when it started and
    when it connected (ISO 8601). Sends emails that are due, runs daily jobs that were missed,
    and takes up work a dead worker or a lost message left undone (catchup.run).
    Returns the job's summary."""

    def when(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    with record_job("catch_up") as summary:
        summary.update(
            catchup.run(worker=worker, worker_started_at=when(worker_started_at), connected_at=when(connected_at))
        )
    return summary


@shared_task(ignore_result=True)
def delete_expired_held_submissions() -> int:
    """Hourly: forget forms held for people who did not come back for them in time; returns how many."""
    return held_forms.delete_expired()


@shared_task(ignore_result=True)
def delete_used_form_tokens() -> dict | None:
    """Daily (beat at 03:30; the catch-up if that was missed): forget create forms' one-time tokens
    used more than intentions.KEEP_FOR ago. Returns the job's summary, {"deleted": n}, or None if
    it had run for today already."""
    return run_daily("delete_used_form_tokens", lambda: {"deleted": intentions.delete_used_tokens()})


# A big PDF (the tracker of a large authority) takes minutes to lay out: longer than the defaults.
@shared_task(bind=True, ignore_result=True, time_limit=20 * 60, soft_time_limit=18 * 60)
def build_document(self, document_id: int) -> str | None:
    """Make one queued document (a big list's spreadsheet, the tracker's PDF…) with its progress
    shown as it goes. Safe to deliver twice; one whose worker died is queued again by the catch-up.
    Returns "done", "failed", or None if the document was not waiting."""
    return making.document_build(document_id=document_id, worker=self.request.hostname or "")


@shared_task(ignore_result=True)
def delete_expired_documents() -> dict | None:
    """Daily (beat at 03:40; the catch-up if that was missed): delete documents kept for download
    past DOCUMENTS_KEEP_DAYS. Returns the job's summary, {"deleted": n}, or None if it had run for
    today already."""
    return run_daily("delete_expired_documents", making.delete_expired_documents)


@shared_task(ignore_result=True)
def delete_old_access_log() -> dict | None:
    """Daily (beat at 03:50; the catch-up if that was missed): delete the access log's entries older
    than ACCESS_LOG_KEEP_DAYS. Returns the job's summary, {"deleted": n}, or None if it had run for
    today already."""
    return run_daily("delete_old_access_log", access_log.delete_old_entries)
