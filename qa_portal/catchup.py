"""Catching up after an outage: what the worker does as soon as Redis is back, and beat every
CATCH_UP_SECONDS, so that nothing waits for good on a broker that was down or lost its queue.

- emails that are due to be sent, or sent again (delivery.send_pending);
- daily jobs whose time came while the worker or Redis was down (jobs.missed), run now;
- whatever the apps above register: the committee pack registers the versions left waiting or
  left half-made by a worker that died (qa_portal.reporting.committee.build).

Every step is safe to run twice, so the catch-up may run as often as it likes.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from qa_portal import delivery, jobs

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Occasion:
    """What prompted a catch-up. `worker` (its Celery node name), `worker_started_at` and
    `connected_at` are set when a worker has just connected to Redis, at start or after losing
    it; all blank for beat's regular run."""

    now: datetime
    worker: str = ""
    worker_started_at: datetime | None = None
    connected_at: datetime | None = None


Step = Callable[[Occasion], dict[str, int]]
_STEPS: list[str] = []


def register(step: str) -> None:
    """Add a step to every catch-up (an app's AppConfig.ready() calls this), named by its import path
    ("qa_portal.documents.services.documents_catch_up"): it is imported when a catch-up first runs, in
    the worker, not at every process's start-up (the modules that hold the steps import much that a
    process making a PDF does not need; issue 15). The step returns counts for the job's summary, and
    must be safe to run twice."""
    if step not in _STEPS:
        _STEPS.append(step)


def send_emails(occasion: Occasion) -> dict[str, int]:
    outcomes = delivery.send_pending(now=occasion.now)
    return {f"emails {name}": count for name, count in outcomes.items() if count}


def run_missed_daily_jobs(occasion: Occasion) -> dict[str, int]:
    """Run, here and now, each daily job that did not run at its time."""
    ran = 0
    for job in jobs.missed(occasion.now):
        logger.warning("The daily job %s did not run at its time: running it now", job)
        # Called here through its task (named, like beat's, by its import path), which records the
        # run with the time it was due.
        import_string(settings.DAILY_JOBS[job]["task"])()
        ran += 1
    return {"daily jobs run late": ran} if ran else {}


def run(
    *,
    worker: str = "",
    worker_started_at: datetime | None = None,
    connected_at: datetime | None = None,
    now: datetime | None = None,
) -> dict[str, int]:
    """Every catch-up step in turn, each even if one before it failed (the first error is raised
    after). Returns the counts of what was done, for the job's summary; empty if nothing was."""
    occasion = Occasion(
        now=now or timezone.now(), worker=worker, worker_started_at=worker_started_at, connected_at=connected_at
    )
    summary: dict[str, int] = {}
    failure = None
    for step in [send_emails, run_missed_daily_jobs, *_STEPS]:
        try:
            if isinstance(step, str):
                step = import_string(step)
            summary.update(step(occasion))
        except Exception as exc:  # one step's trouble must not hold up the others
            logger.exception("Catch-up step %s failed", getattr(step, "__name__", step))
            failure = failure or exc
    if failure:
        raise failure
    return summary
