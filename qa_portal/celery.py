"""The Celery app. Settings come from Django's (CELERY_* names); tasks are found per app.

Since Celery 5.4 tasks are DjangoTask, so `task.delay_on_commit(...)` queues a job only
once the surrounding transaction has committed: use it whenever a job reads rows the
current request is writing.

Each worker queues the catch-up (qa_portal.tasks.catch_up) whenever it has connected to Redis:
when it starts, and again each time Redis comes back after being away.

Only processes that queue or run jobs import this module: `celery -A qa_portal` finds the app here,
every tasks module imports it (so it exists, and is Celery's current app, before any task is sent),
and the web imports the tasks as it starts (qa_portal.startup.import_tasks). Django's start-up does
not: importing Celery took a tenth of a visit report made as a command (issue 15).
"""

import logging
import os
from datetime import UTC, datetime

from celery import Celery, bootsteps, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qa_portal.settings")

logger = logging.getLogger(__name__)

app = Celery("qa_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict[str, dict]:
    """What beat runs and when: {name: {"task": its import path, "schedule": seconds or a crontab}}.
    The daily jobs at their times of day (settings.DAILY_JOBS, UK time); the rest every so often."""
    from django.conf import settings

    return {
        # Proves, for /healthz, that beat is scheduling and a worker is running jobs.
        "heartbeat": {"task": "qa_portal.tasks.heartbeat", "schedule": float(settings.HEARTBEAT_SECONDS)},
        **{
            job.replace("_", "-"): {
                "task": daily["task"],
                "schedule": crontab(hour=daily["at"].hour, minute=daily["at"].minute),
            }
            for job, daily in settings.DAILY_JOBS.items()
        },
        # Emails due to be sent (again), committee packs and documents waiting or left half-made by a
        # worker that died, daily jobs missed. Also run by each worker as soon as it is connected to Redis.
        "catch-up": {"task": "qa_portal.tasks.catch_up", "schedule": float(settings.CATCH_UP_SECONDS)},
        # The response to an Inadequate judgement: a decision on each child is due within 24 hours, so its
        # reminders and escalation cannot wait for the daily job (reviews.responses.remind_decisions).
        "remind-safe-to-remain-decisions": {
            "task": "reviews.tasks.remind_safe_to_remain_decisions",
            "schedule": crontab(minute=10),
        },
        "delete-expired-held-submissions": {
            "task": "qa_portal.tasks.delete_expired_held_submissions",
            "schedule": crontab(minute=17),
        },
    }


app.conf.beat_schedule = beat_schedule()

# When this process started: a worker restarted under the same name knows that anything its
# earlier self had taken and not finished was lost with it.
STARTED_AT = datetime.now(tz=UTC)


class CatchUpOnConnect(bootsteps.StartStopStep):
    """A step of the worker's consumer, which Celery starts again after every reconnection: queue
    the catch-up, so emails, committee packs and daily jobs held up while Redis was away (or this
    worker was down) are seen to at once instead of at beat's next catch-up."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, c):
        try:
            c.app.send_task(
                "qa_portal.tasks.catch_up",
                kwargs={
                    "worker": c.hostname,
                    "worker_started_at": STARTED_AT.isoformat(),
                    "connected_at": datetime.now(tz=UTC).isoformat(),
                },
            )
        except Exception as exc:  # Redis went away again: the next reconnection queues it
            logger.warning("Could not queue the catch-up (%s)", exc)


app.steps["consumer"].add(CatchUpOnConnect)


@signals.celeryd_init.connect
def patient_with_redis_in_workers(conf=None, **_kwargs):
    """In a worker process (`celery worker`, before it connects): open connections to Redis with
    more patience than a web request may have (settings: one retry, so a page never hangs). The
    worker opens some of its connections after reconnecting; one that gave up at once while Redis
    was still coming back would stop the worker with "Unrecoverable error". A job that publishes
    (an email to send, a pack to make) waits at most about 20 seconds for Redis this way."""
    conf.broker_transport_options = {
        **conf.broker_transport_options,
        "max_retries": 10,
        "interval_start": 0,
        "interval_step": 1,
        "interval_max": 2,
    }


@signals.worker_process_init.connect
def warm_up_the_pdf_renderer(**_kwargs):
    """In each worker process as it starts: lay out a small PDF, so the first document a person
    waits for does not pay the renderer's one-off costs (qa_portal.pdf.warm_up); then set aside what
    start-up made from the collector's passes (qa_portal.startup)."""
    from qa_portal.pdf import warm_up  # Django is set up by now; not when this module is imported
    from qa_portal.startup import set_aside_what_start_up_made

    logger.info("PDF renderer warmed up in %.2f s", warm_up())
    set_aside_what_start_up_made()
