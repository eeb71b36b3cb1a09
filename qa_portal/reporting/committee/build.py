"""Making one queued version of a committee pack in the worker, its progress saved as it goes.

A version is made once however often its message arrives, and is made again if the worker
making it dies: taking it is a conditional update (queued -> being made) that counts the
attempt, the worker beats a heartbeat on it while it works, and everything it writes afterwards
names that attempt, so a worker that was given up for dead can never overwrite a later attempt.
The catch-up (services.committee_packs_catch_up) queues again a version whose worker died, and
gives up after MAX_ATTEMPTS with the version failed and a "Try again" button.
"""

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.db.models import F
from django.utils import timezone

from qa_portal.reporting.committee.pack import PackSource, build_pack
from qa_portal.reporting.models import CommitteePackVersion, PackStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
HEARTBEAT_SECONDS = 30
# No heartbeat for this long: the worker making the version is gone.
STALLED_AFTER = timedelta(minutes=5)


def _update(version_id: int, **values) -> None:
    # Each step is its own committed write, so the page polling for progress sees it at once.
    CommitteePackVersion.objects.filter(pk=version_id).update(**values)


@contextmanager
def _heartbeat(rows):
    """Touch `rows`' heartbeat_at every HEARTBEAT_SECONDS from a thread of its own, also while
    the PDF is laid out (one long call that reports no progress)."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    rows.update(heartbeat_at=timezone.now())
                except Exception:  # the database blinked: the next beat will do
                    logger.warning("Could not record the committee pack's heartbeat", exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name="committee-pack-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def committee_pack_build(*, version_id: int, worker: str = "") -> str | None:
    """Make the pack for a queued version, updating its progress as it goes, and store the PDF.
    `worker` is the Celery node name of the worker doing it.

    Returns "done", "failed" (the error is kept on the version), or None if the version was not
    waiting (made already, or being made) or this attempt was superseded."""
    now = timezone.now()
    claimed = CommitteePackVersion.objects.filter(pk=version_id, status=PackStatus.QUEUED).update(
        status=PackStatus.RUNNING,
        attempts=F("attempts") + 1,
        worker=worker,
        started_at=now,
        heartbeat_at=now,
        progress=5,
        progress_message="Starting",
        error="",
    )
    if not claimed:
        return None
    version = CommitteePackVersion.objects.select_related("report", "created_by").defer("pdf").get(pk=version_id)
    mine = CommitteePackVersion.objects.filter(pk=version_id, status=PackStatus.RUNNING, attempts=version.attempts)
    with _heartbeat(mine):
        try:
            pdf, figures = build_pack(
                PackSource.for_report(version.report, version=version),
                progress=lambda percent, message: mine.update(
                    progress=percent, progress_message=message, heartbeat_at=timezone.now()
                ),
            )
        except Exception as exc:  # whatever went wrong is shown on the page, and the version kept
            logger.exception("Committee pack version %s failed", version_id)
            mine.update(
                status=PackStatus.FAILED,
                progress_message="Failed",
                error=f"{exc.__class__.__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )
            return "failed"
    done = mine.update(
        status=PackStatus.DONE,
        progress=100,
        progress_message="Ready to download",
        pdf=pdf,
        pdf_size=len(pdf),
        figures=figures.snapshot(),
        finished_at=timezone.now(),
    )
    return "done" if done else None
