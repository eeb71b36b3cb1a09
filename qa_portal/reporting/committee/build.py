"""Making one queued version of a committee pack in the worker, its progress saved as it goes."""

import logging

from django.utils import timezone

from qa_portal.reporting.committee.pack import PackSource, build_pack
from qa_portal.reporting.models import CommitteePackVersion, PackStatus

logger = logging.getLogger(__name__)


def _update(version_id: int, **values) -> None:
    # Each step is its own committed write, so the page polling for progress sees it at once.
    CommitteePackVersion.objects.filter(pk=version_id).update(**values)


def committee_pack_build(*, version_id: int) -> str | None:
    """Make the pack for a queued version, updating its progress as it goes, and store the PDF.

    Only a queued version is taken (a conditional update, so a message delivered twice makes
    one pack). Returns "done", "failed", or None if the version was not waiting."""
    claimed = CommitteePackVersion.objects.filter(pk=version_id, status=PackStatus.QUEUED).update(
        status=PackStatus.RUNNING, started_at=timezone.now(), progress=5, progress_message="Starting", error=""
    )
    if not claimed:
        return None
    version = CommitteePackVersion.objects.select_related("report", "created_by").defer("pdf").get(pk=version_id)
    try:
        pdf, figures = build_pack(
            PackSource.for_report(version.report, version=version),
            progress=lambda percent, message: _update(version_id, progress=percent, progress_message=message),
        )
    except Exception as exc:  # whatever went wrong is shown on the page, and the version kept
        logger.exception("Committee pack version %s failed", version_id)
        _update(
            version_id,
            status=PackStatus.FAILED,
            progress_message="Failed",
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return "failed"
    _update(
        version_id,
        status=PackStatus.DONE,
        progress=100,
        progress_message="Ready to download",
        pdf=pdf,
        pdf_size=len(pdf),
        figures=figures.snapshot(),
        finished_at=timezone.now(),
    )
    return "done"
