"""Handing a big file's check or import to the worker (and again, after an outage or a failure).
What the worker does with it: providers.importers.runs."""

import logging
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from providers.models import ImportJob, ImportRun, ImportRunStatus
from qa_portal import catchup
from qa_portal.documents import making

logger = logging.getLogger(__name__)


def enqueue(run_id: int) -> bool:
    """Hand the run's job to the worker. If the broker cannot be reached the job stays queued, the
    page says so, and the catch-up hands it over once the broker is back."""
    # Imported here, when a job is first queued: a tasks module loads Celery, which a process that
    # queues nothing (a visit report made as a command) is quicker without (qa_portal.celery).
    from providers.tasks import run_import

    try:
        run_import.delay(run_id)
    except Exception as exc:  # the broker being down must never break the page
        logger.warning("Could not queue import run %s (%s)", run_id, exc)
        ImportRun.objects.filter(pk=run_id, status=ImportRunStatus.QUEUED).update(
            progress_message="Waiting: the background worker could not be reached"
        )
        return False
    return True


def import_queue(*, run: ImportRun, job: ImportJob, by) -> bool:
    """Queue `job` (check the file, or import it) on the run for the worker, once this transaction
    commits. Returns whether it was queued: a run with a job already waiting or being done, or one
    already imported, is left alone (a second click queues nothing)."""
    waiting = ~Q(status__in=[ImportRunStatus.QUEUED, ImportRunStatus.RUNNING])
    if job == ImportJob.APPLY:
        waiting &= Q(applied_at__isnull=True)
    queued = ImportRun.objects.filter(waiting, pk=run.pk).update(
        status=ImportRunStatus.QUEUED,
        job=job,
        job_by=by,
        queued_at=timezone.now(),
        attempts=0,
        progress=0,
        progress_message="Queued: waiting for the background worker",
        error="",
        job_outcome="",
        finished_at=None,
    )
    if queued:
        transaction.on_commit(partial(enqueue, run.pk))
    return bool(queued)


def imports_catch_up(occasion: catchup.Occasion) -> dict[str, int]:
    """The imports' part of the catch-up (registered in ProvidersConfig.ready()): a job left waiting
    by a broker that was down, or half-done by a worker that died, is handed over again
    (making.take_up); its import was undone with its transaction, so it starts afresh.
    Returns counts for the catch-up's summary."""
    queued_again, failed = making.take_up(
        ImportRun,
        occasion,
        enqueue=enqueue,
        what="Import run",
        gave_up="The background worker stopped while working on this file, {attempts} times.",
    )
    counts = {"imports queued again": queued_again, "imports failed": failed}
    return {name: count for name, count in counts.items() if count}
