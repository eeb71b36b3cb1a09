"""Making a document in the worker, and the rules every background build shares (documents and
committee pack versions alike): taking it once, beating a heartbeat while it is made, and the
catch-up's part for those left waiting or half-made.

A build is made once however often its message arrives, and again if the worker making it dies:
taking it is a conditional update (queued -> being made) that counts the attempt, the worker beats
a heartbeat on it while it works, and everything it writes afterwards names that attempt, so a
worker given up for dead can never overwrite a later attempt. The catch-up queues again one whose
worker died, and after MAX_ATTEMPTS leaves it failed, with a "Try again" button.

Each model that uses these has the fields status (queued, running, done, failed), progress,
progress_message, queued_at, attempts, worker, heartbeat_at, started_at, finished_at and error.
"""

import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.http import HttpRequest, QueryDict
from django.urls import resolve
from django.utils import timezone

from qa_portal.catchup import Occasion
from qa_portal.documents import kinds
from qa_portal.documents.models import Document, DocumentStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
HEARTBEAT_SECONDS = 30
# No heartbeat for this long: the worker making it is gone.
STALLED_AFTER = timedelta(minutes=5)
# One still queued this long after it was handed to the broker is handed over again.
QUEUED_AGAIN_AFTER = timedelta(minutes=2)
# How often the progress bar is moved along an estimate (kinds.Progress.expect).
TICK_SECONDS = 2.0


def claim(one, *, worker: str, **values) -> bool:
    """Take the queued build `one` (a queryset of one row) for this attempt: a conditional update,
    so of two workers given the same message only one gets it. Returns whether this one did."""
    now = timezone.now()
    return bool(
        one.filter(status="queued").update(
            status="running",
            attempts=F("attempts") + 1,
            worker=worker,
            started_at=now,
            heartbeat_at=now,
            progress=5,
            progress_message="Starting",
            error="",
            **values,
        )
    )


@contextmanager
def beating(rows, *, tick: Callable[[], object] | None = None, name: str = "build-heartbeat"):
    """While the body runs, touch `rows`' heartbeat_at every HEARTBEAT_SECONDS from a thread of its
    own, also during a long call that reports nothing (a PDF being laid out); and call `tick` every
    TICK_SECONDS, to move a progress bar along its estimate."""
    stop = threading.Event()

    def beat():
        last = timezone.now()
        try:
            while not stop.wait(TICK_SECONDS if tick else HEARTBEAT_SECONDS):
                try:
                    if tick:
                        tick()
                    if (timezone.now() - last).total_seconds() >= HEARTBEAT_SECONDS or not tick:
                        rows.update(heartbeat_at=timezone.now())
                        last = timezone.now()
                except Exception:  # the database blinked: the next beat will do
                    logger.warning("Could not record a heartbeat of %s", name, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=name, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)


def take_up(
    model,
    occasion: Occasion,
    *,
    enqueue: Callable[[int], bool],
    what: str,
    gave_up: str = "The background worker stopped while making it, {attempts} times.",
) -> tuple[int, int]:
    """The catch-up's part for `model`'s builds:

    - one being made by a worker that is gone (one restarted under the same name, or silent for
      STALLED_AFTER) is queued again, or after MAX_ATTEMPTS marked failed;
    - one still queued since before the worker connected to Redis (or for QUEUED_AGAIN_AFTER) is
      handed to the broker again, in case the broker was down when it was asked for or lost it.

    `enqueue(pk)` hands one to the broker and says whether it could; `what` names one in the log;
    `gave_up` is the error shown on one that failed.
    Returns (how many were queued again, how many failed)."""
    now = occasion.now
    gone = Q(heartbeat_at__lt=now - STALLED_AFTER) | Q(heartbeat_at__isnull=True, started_at__lt=now - STALLED_AFTER)
    if occasion.worker and occasion.worker_started_at:
        gone |= Q(worker=occasion.worker, started_at__lt=occasion.worker_started_at)
    queued_again = failed = 0
    for pk, attempts in model.objects.filter(gone, status="running").values_list("pk", "attempts"):
        same = model.objects.filter(pk=pk, status="running", attempts=attempts)
        if attempts >= MAX_ATTEMPTS:
            failed += same.update(
                status="failed",
                progress_message="Failed",
                error=gave_up.format(attempts=attempts),
                finished_at=now,
            )
        elif same.update(
            status="queued",
            queued_at=now,
            worker="",
            progress_message="Queued again: the background worker stopped while making it",
        ):
            logger.warning("%s %s was left half-made by a worker that stopped: queued again", what, pk)
            enqueue(pk)
            queued_again += 1
    waiting_since = occasion.connected_at or now - QUEUED_AGAIN_AFTER
    for pk in model.objects.filter(status="queued", queued_at__lt=waiting_since).values_list("pk", flat=True):
        if enqueue(pk):
            model.objects.filter(pk=pk).update(queued_at=now)
            queued_again += 1
    return queued_again, failed


def kept_until(moment):
    """When a document made at `moment` is deleted (settings.DOCUMENTS_KEEP_DAYS later)."""
    return moment + timedelta(days=settings.DOCUMENTS_KEEP_DAYS)


def delete_expired_documents() -> dict[str, int]:
    """Daily: delete the documents past their time (kept DOCUMENTS_KEEP_DAYS after they were made
    or asked for), files and all. Returns the job's summary, {"deleted": n}."""
    expired = Document.objects.filter(expires_at__lte=timezone.now()).exclude(status=DocumentStatus.RUNNING)
    deleted, _ = expired.delete()
    return {"deleted": deleted}


def document_build(*, document_id: int, worker: str = "") -> str | None:
    """Make a queued document with its kind's builder, its progress saved as it goes, and keep the
    file. `worker` is the Celery node name of the worker doing it.

    Returns "done", "failed" (the reason is kept on the document, and shown on its page), or None
    if the document was not waiting (made already, or being made) or this attempt was superseded."""
    if not claim(Document.objects.filter(pk=document_id), worker=worker):
        return None
    document = Document.objects.without_content().select_related("requested_by").get(pk=document_id)
    mine = Document.objects.filter(pk=document_id, status=DocumentStatus.RUNNING, attempts=document.attempts)
    progress = kinds.Progress(
        lambda percent, message: mine.update(progress=percent, progress_message=message, heartbeat_at=timezone.now())
    )
    with beating(mine, tick=progress.tick, name=f"document-{document_id}"):
        try:
            built = _build(document, progress)
        except Exception as exc:  # whatever went wrong is shown on its page, and the document kept
            logger.exception("Document %s (%s) failed", document_id, document.kind)
            mine.update(
                status=DocumentStatus.FAILED,
                progress_message="Failed",
                error=getattr(exc, "user_message", "") or f"{exc.__class__.__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )
            return "failed"
    now = timezone.now()
    done = mine.update(
        status=DocumentStatus.DONE,
        progress=100,
        progress_message="Ready to download",
        filename=built.filename[:200],
        content_type=built.content_type[:100],
        content=built.content,
        size=len(built.content),
        # Recorded in the access log when it is downloaded, not now.
        subjects=built.subjects.to_json() if built.subjects else {},
        finished_at=now,
        expires_at=kept_until(now),
    )
    return "done" if done else None


class NoLongerAllowed(Exception):
    user_message = "You no longer have access to this list, so the document was not made."


def request_for(document: Document) -> HttpRequest:
    """The GET request a document was asked with, as its builder sees it: the requester as `user`,
    the list's filters as `GET`, the address's arguments in `resolver_match`. Builders (and the
    FilterSets they use) read nothing else."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = document.parameters.get("path", "/")
    request.GET = QueryDict(document.parameters.get("query", ""))
    request.user = document.requested_by
    request.resolver_match = resolve(request.path_info)  # the address's arguments, such as a visit's pk
    return request


def _build(document: Document, progress: kinds.Progress) -> kinds.BuiltFile:
    kind = kinds.get(document.kind)
    request = request_for(document)
    # Made with the access the person has now, not the access they had when they asked.
    if not kind.allows(request):
        raise NoLongerAllowed
    return kind.build(request, document.format, progress)
