"""Checking and importing an uploaded file (an `ImportRun`), while the person waits or in the worker.

A file of up to settings.IMPORT_ROWS_IN_REQUEST data rows is checked and imported in the web request,
as it always was. A bigger one (a 5 MB placements file took 847 seconds in one request) is handed to
the worker for each step, the check (a dry run, `import_preview`) and the import (`import_apply`):
its page shows the progress and the web request never waits (`providers.importers.queue`).

The worker's part follows the rules every background build shares (qa_portal.documents.making): it
takes the job with a conditional update (queued -> running, counting the attempt), beats a heartbeat
while it works, and the catch-up gives a job whose worker died to another. An import runs in one
transaction that is only kept if it ends by marking the file imported, conditionally: a job delivered
twice, or taken up again after its worker was given up for dead, imports the file once.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from providers.importers import IMPORTERS, ImportNeedsAnswers, ImportResult
from providers.models import ImportJob, ImportRun, ImportRunStatus
from qa_portal.documents.kinds import Progress
from qa_portal.documents.making import beating, claim

logger = logging.getLogger(__name__)


def in_the_worker(run: ImportRun) -> bool:
    """Whether the file is too big to check or import while the person waits."""
    return (run.rows or 0) > settings.IMPORT_ROWS_IN_REQUEST


def import_preview(*, run: ImportRun, progress: Progress | None = None) -> dict:
    """What importing the file would do with the person's answers so far (a dry run: nothing is
    kept), as ImportResult.to_dict(). Raises ImportFileError if the file cannot be imported at all."""
    importer = IMPORTERS[run.kind](decisions=run.decisions)
    return importer.run(run.content, dry_run=True, progress=progress).to_dict()


@dataclass(frozen=True)
class Applied:
    """What an import did, for the person: `imported` whether the file was imported, `message` what
    to tell them ("File imported: 12 created…", or why nothing was)."""

    imported: bool
    message: str


ALREADY_IMPORTED = (
    "This file has already been imported, so it was not imported again. To import newer data, upload the new file."
)


def import_apply(*, run: ImportRun, by, progress: Progress | None = None, claim_on: QuerySet | None = None) -> Applied:
    """Import the file, all of it or nothing, once: never a silent partial import.

    Within one transaction: every row is imported, then the file is marked imported by a conditional
    update of `claim_on` (the run, not yet imported; the worker adds "by this attempt"). If another
    request or worker imported it first, or a row is refused now (a provider put on placement stop
    since the preview) that the preview did not list, or a question of the preview is no longer
    answered, the whole transaction is undone, and the preview is made again when the file has changed
    meaning. Returns what happened, in words."""
    if ImportRun.objects.filter(pk=run.pk, applied_at__isnull=False).exists():
        return Applied(False, ALREADY_IMPORTED)
    claim_on = claim_on if claim_on is not None else ImportRun.objects.filter(pk=run.pk)
    unseen, claimed, result = [], False, None
    try:
        with transaction.atomic():
            result = IMPORTERS[run.kind](decisions=run.decisions, by=by).run(run.content, progress=progress)
            seen = {refusal["line"] for refusal in ImportResult.from_dict(run.preview).refusals}
            unseen = [refusal for refusal in result.refusals if refusal["line"] not in seen]
            if not unseen:
                # Waits for another import of the same file to commit or roll back, then finds it done or not.
                claimed = bool(
                    claim_on.filter(applied_at__isnull=True).update(
                        applied_at=timezone.now(), applied_by=by, result=result.to_dict()
                    )
                )
            if unseen or not claimed:
                transaction.set_rollback(True)
    except ImportNeedsAnswers as exc:
        # A new question since the preview (a judgement recorded meanwhile, say): nothing is imported.
        ImportRun.objects.filter(pk=run.pk).update(preview=import_preview(run=run))
        return Applied(False, f"{exc}. Check the file again below.")
    if unseen:
        ImportRun.objects.filter(pk=run.pk).update(preview=import_preview(run=run))
        return Applied(
            False,
            "Nothing has been imported: since you checked this file, a provider in it has been put on placement "
            "stop or marked not to be used. Check the placements listed below, then import the rest.",
        )
    if not claimed:
        return Applied(False, ALREADY_IMPORTED)
    return Applied(
        True,
        f"File imported: {result.created} created, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.rejected} rejected",
    )


def import_run_build(*, run_id: int, worker: str = "") -> str | None:
    """The worker's part: do the job queued on the run (check the file, or import it), its progress
    kept on the run as it goes for the run's page. `worker` is the Celery node name of the worker.

    Returns "done", "failed" (the reason is kept on the run and shown on its page), or None if no job
    was waiting (done already, or being done by another worker)."""
    if not claim(ImportRun.objects.filter(pk=run_id), worker=worker):
        return None
    run = ImportRun.objects.select_related("job_by").get(pk=run_id)
    mine = ImportRun.objects.filter(pk=run_id, status=ImportRunStatus.RUNNING, attempts=run.attempts)
    # The rows are counted in memory and written by the heartbeat's own thread and connection: the
    # import's transaction must not hold the run's row, which the heartbeat keeps touching.
    progress = Progress(lambda percent, message: None)
    shown = {}

    def tick():
        state = (progress.percent, progress.message)
        if state != shown.get("state"):
            mine.update(progress=state[0], progress_message=state[1][:200], heartbeat_at=timezone.now())
            shown["state"] = state

    outcome = ""
    with beating(mine, tick=tick, name=f"import-{run_id}"):
        try:
            if run.job == ImportJob.APPLY:
                outcome = import_apply(run=run, by=run.job_by, progress=progress, claim_on=mine).message
            else:
                mine.update(preview=import_preview(run=run, progress=progress))
        except Exception as exc:  # whatever went wrong is shown on the run's page
            logger.exception("Import run %s (%s) failed", run_id, run.job)
            mine.update(
                status=ImportRunStatus.FAILED,
                progress_message="Failed",
                error=f"{exc.__class__.__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )
            return "failed"
    done = mine.update(
        status=ImportRunStatus.READY,
        progress=100,
        progress_message="Done",
        job_outcome=outcome[:1000],
        finished_at=timezone.now(),
    )
    return "done" if done else None
