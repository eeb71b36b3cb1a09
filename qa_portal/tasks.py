from celery import shared_task

from qa_portal import health


@shared_task(ignore_result=True)
def heartbeat() -> None:
    """Scheduled by beat, run by a worker: its timestamp tells /healthz both are alive."""
    health.record_heartbeat()
