"""Making one queued version of a committee pack in the worker, its progress saved as it goes.

A version is made once however often its message arrives, and is made again if the worker
making it dies: taking it is a conditional update (queued -> being made) that counts the
attempt, the worker beats a heartbeat on it while it works, and everything it writes afterwards
names that attempt, so a worker that was given up for dead can never overwrite a later attempt.
The catch-up (services.committee_packs_catch_up) queues again a version whose worker died, and
gives up after MAX_ATTEMPTS with the version failed and a "Try again" button.
"""

import logging

from django.utils import timezone

from qa_portal.documents import making
from qa_portal.reporting.committee.pack import PackSource, build_pack
from qa_portal.reporting.models import CommitteePackVersion, PackStatus

logger = logging.getLogger(__name__)

# The rules every background build shares (qa_portal.documents.making).
MAX_ATTEMPTS = making.MAX_ATTEMPTS
STALLED_AFTER = making.STALLED_AFTER


def _update(version_id: int, **values) -> None:
    # Each step is its own committed write, so the page polling for progress sees it at once.
    CommitteePackVersion.objects.filter(pk=version_id).update(**values)


def committee_pack_build(*, version_id: int, worker: str = "") -> str | None:
    """Make the pack for a queued version, updating its progress as it goes, and store the PDF.
    `worker` is the Celery node name of the worker doing it.

    Returns "done", "failed" (the error is kept on the version), or None if the version was not
    waiting (made already, or being made) or this attempt was superseded."""
    if not making.claim(CommitteePackVersion.objects.filter(pk=version_id), worker=worker):
        return None
    version = CommitteePackVersion.objects.select_related("report", "created_by").defer("pdf").get(pk=version_id)
    mine = CommitteePackVersion.objects.filter(pk=version_id, status=PackStatus.RUNNING, attempts=version.attempts)
    with making.beating(mine, name="committee-pack-heartbeat"):
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
