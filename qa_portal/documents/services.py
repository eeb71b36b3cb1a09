"""Asking for a document, handing it to the worker (and again, after an outage), trying a failed
one again, and forgetting old ones.

A list's download view ends with `respond(...)`: a small file is made at once and returned, a
big one becomes a Document made by the worker, and the person is sent to its page, which shows
the progress and then the download. The web request never waits for a big file, but a list's CSV
is sent as it is written, the first rows at once, however long (kinds.Kind.stream_csv)."""

import hashlib
import logging
from functools import partial

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from qa_portal import catchup
from qa_portal.access_log import AccessAction, Subjects, record_access
from qa_portal.documents import kinds, making
from qa_portal.documents.models import UNFINISHED, Document, DocumentStatus
from qa_portal.exports import streaming_csv_response

logger = logging.getLogger(__name__)


def file_response(built: kinds.BuiltFile) -> HttpResponse:
    """A made file as a download (or, if `built.inline`, to open in the browser), never cached:
    our documents are OFFICIAL-SENSITIVE."""
    response = HttpResponse(bytes(built.content), content_type=built.content_type)
    disposition = "inline" if built.inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{built.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def respond(
    request: HttpRequest, *, kind: str, fmt: str, rows: int | None, title: str, at_once: bool | None = None
) -> HttpResponse:
    """A download view's answer. `rows` is how many rows the file will hold (counted cheaply, such
    as `filterset.qs.count()`); up to kinds.rows_in_request(fmt) the file is made here and returned,
    above that a document is queued for the worker and the person is redirected to its page. A
    document that is not a list says itself whether it is small enough (`at_once`; `rows` None).
    `title` says what it is, filters included ("Recommendations: Open, owned by …").
    A CSV of a kind that streams its CSV is sent as it is written, whatever `rows` says."""
    entry = kinds.get(kind)
    if fmt == "csv" and entry.stream_csv is not None:
        streamed = entry.stream_csv(request)
        # Recorded as it is handed over: whoever starts the download has the rows as they arrive.
        record_download(
            request.user, kind=entry, fmt=fmt, title=title, subjects=streamed.subjects, path=request.get_full_path()
        )
        return streaming_csv_response(
            name=streamed.name, columns=streamed.columns, rows=streamed.rows, lines=streamed.lines
        )
    if at_once is None:
        at_once = rows is not None and rows <= kinds.rows_in_request(fmt)
    if at_once:
        built = entry.build(request, fmt, kinds.Progress())
        record_download(
            request.user,
            kind=entry,
            fmt=fmt,
            title=title,
            subjects=built.subjects,
            path=request.get_full_path(),
            record=entry.record_of(request),
        )
        return file_response(built)
    document = document_request(
        kind=kind, fmt=fmt, by=request.user, query=request.GET.urlencode(), path=request.path, rows=rows, title=title
    )
    return redirect(document)


def record_download(
    user, *, kind: kinds.Kind, fmt: str, title: str, subjects: Subjects | None, path: str, record=None
) -> None:
    """Log, in the access log of personal data, that `user` was handed a file holding the data of
    `subjects` (nothing if it holds nobody's): a PDF downloaded, a CSV or XLSX list exported.
    `record`: the one record it is about, if any (kinds.Kind.record_of: a visit, a meeting)."""
    record_access(user, AccessAction.for_format(fmt), f"{kind.label}: {title}", subjects, record=record, path=path)


def enqueue(document_id: int) -> bool:
    """Hand the document to the worker. If the broker cannot be reached it stays queued, its page
    says so, and the catch-up hands it over once the broker is back."""
    # Imported here, when a job is first queued: a tasks module loads Celery, which a process that
    # queues nothing (a visit report made as a command) is quicker without (qa_portal.celery).
    from qa_portal.tasks import build_document

    try:
        build_document.delay(document_id)
    except Exception as exc:  # the broker being down must never break the page
        logger.warning("Could not queue document %s (%s)", document_id, exc)
        Document.objects.filter(pk=document_id, status=DocumentStatus.QUEUED).update(
            progress_message="Waiting: the background worker could not be reached"
        )
        return False
    return True


def _fingerprint(kind: str, fmt: str, path: str, query: str) -> str:
    # The same filters in another order are the same document.
    ordered = "&".join(sorted(query.split("&"))) if query else ""
    return hashlib.sha256(f"{kind}\n{fmt}\n{path}\n{ordered}".encode()).hexdigest()


def document_request(*, kind: str, fmt: str, by, query: str, path: str, rows: int | None, title: str) -> Document:
    """A document of `kind` in `fmt` for `by`, made as asked at `path` with the filters in `query` (a
    URL-encoded query string), queued for the worker once this transaction commits. If the same person has the
    same document queued or being made already, that one is returned instead: a second click, a
    reload or two tabs make one document. ImproperlyConfigured if `kind` is not registered."""
    entry = kinds.get(kind)
    if fmt not in entry.formats:
        raise ValueError(f"{entry.label} is not made as {fmt}")
    fingerprint = _fingerprint(kind, fmt, path, query)
    waiting = Document.objects.without_content().filter(requested_by=by, fingerprint=fingerprint, status__in=UNFINISHED)
    for _ in range(2):  # the one found may finish between the look and the insert: look again
        if found := waiting.first():
            return found
        now = timezone.now()
        try:
            with transaction.atomic():
                document = Document.objects.create(
                    kind=kind,
                    format=fmt,
                    title=title[:300],
                    requested_by=by,
                    parameters={"query": query, "path": path},
                    fingerprint=fingerprint,
                    rows=rows,
                    created_at=now,
                    queued_at=now,
                    expires_at=making.kept_until(now),
                    progress_message="Queued: waiting for the background worker",
                )
        except IntegrityError:  # the same person's other request made it a moment ago
            continue
        transaction.on_commit(partial(enqueue, document.pk))
        return document
    return waiting.get()


def document_resend(*, document: Document) -> bool:
    """ "Try again": queue again a document still waiting (the broker was down), or one that failed,
    which starts afresh with making.MAX_ATTEMPTS attempts. Returns whether it was queued (one being
    made or made already is left alone, as is one whose twin has been asked for since)."""
    now = timezone.now()
    again = Document.objects.filter(pk=document.pk)
    if document.status == DocumentStatus.QUEUED:
        changed = again.filter(status=DocumentStatus.QUEUED).update(
            queued_at=now, progress_message="Queued again: waiting for the background worker"
        )
    elif document.status == DocumentStatus.FAILED:
        try:
            with transaction.atomic():
                changed = again.filter(status=DocumentStatus.FAILED).update(
                    status=DocumentStatus.QUEUED,
                    attempts=0,
                    queued_at=now,
                    progress=0,
                    progress_message="Queued again: waiting for the background worker",
                    error="",
                    finished_at=None,
                    expires_at=making.kept_until(now),
                )
        except IntegrityError:  # the same document is being made already
            return False
    else:
        return False
    if changed:
        transaction.on_commit(partial(enqueue, document.pk))
    return bool(changed)


def documents_catch_up(occasion: catchup.Occasion) -> dict[str, int]:
    """The documents' part of the catch-up (registered in PortalConfig.ready()): documents left
    waiting by a broker that was down, or half-made by a worker that died, are queued again
    (making.take_up). Returns counts for the catch-up's summary."""
    queued_again, failed = making.take_up(Document, occasion, enqueue=enqueue, what="Document")
    counts = {"documents queued again": queued_again, "documents failed": failed}
    return {name: count for name, count in counts.items() if count}
