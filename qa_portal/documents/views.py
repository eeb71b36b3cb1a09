"""Your documents: the documents made for you in the background, each with a page that shows its
progress (polled by static/js/documents.js; without JavaScript, refreshed by hand) and then its
download. Only the person who asked for a document sees it (qa_portal.access_rules): anyone else
is told it does not exist."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from qa_portal import access
from qa_portal.access_log import Subjects
from qa_portal.documents import kinds, making
from qa_portal.documents.models import Document, DocumentStatus
from qa_portal.documents.services import document_resend, file_response, record_download
from qa_portal.tags import tag_for


def _document(request, pk, *, change=False) -> Document:
    # Past its time it is gone, even before the daily job deletes it.
    return access.get_for_user(request.user, Document.objects.without_content().kept(), pk=pk, change=change)


def _kind(document: Document) -> kinds.Kind | None:
    try:
        return kinds.get(document.kind)
    except ImproperlyConfigured:  # a kind no longer made: the document is still listed
        return None


def _back_to(document: Document, kind: kinds.Kind | None) -> dict | None:
    """The list the document was asked for from, with the same filters."""
    if not (kind and kind.list_url_name):
        return None
    try:
        url = reverse(kind.list_url_name)
    except NoReverseMatch:
        return None
    query = document.parameters.get("query", "")
    return {"url": f"{url}?{query}" if query else url, "label": kind.label}


def _status_html(request, document: Document, *, compact: bool) -> str:
    return render_to_string(
        "qa_portal/documents/_status.html", {"document": document, "compact": compact}, request=request
    )


@require_GET
def document_list(request):
    documents = access.visible_to(request.user, Document).without_content().kept()
    rows = [{"document": d, "kind": _kind(d)} for d in documents]
    context = {"rows": rows, "keep_days": settings.DOCUMENTS_KEEP_DAYS}
    return render(request, "qa_portal/documents/document_list.html", context)


@require_GET
@never_cache
def document_detail(request, pk):
    document = _document(request, pk)
    kind = _kind(document)
    rows_label = kind.counted(document.rows) if kind and document.rows is not None else ""
    context = {"document": document, "kind": kind, "back": _back_to(document, kind), "rows_label": rows_label}
    return render(request, "qa_portal/documents/document_detail.html", context)


@require_GET
@never_cache
def document_progress(request, pk):
    """Where a document has got to, for its page's progress bar (polled every 2 seconds): its
    status, percent and message, and the status part of the page drawn afresh (`html`)."""
    document = _document(request, pk)
    return JsonResponse(
        {
            "status": document.status,
            "status_label": document.get_status_display(),
            "status_class": tag_for("document_status", document.status).css_class,
            "progress": document.progress,
            "message": document.progress_message,
            "finished": document.is_finished,
            "error": document.error,
            "html": _status_html(request, document, compact=request.GET.get("compact") == "1"),
        }
    )


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy kept in browser or proxy caches
def document_download(request, pk):
    document = _document(request, pk)
    if document.status != DocumentStatus.DONE:
        raise Http404("This document is not ready.")
    kind = _kind(document)
    # It holds what their access let them see when it was made: they must still have that access.
    asked = making.request_for(document)
    if kind is None or not kind.allows(asked):
        raise PermissionDenied("You no longer have access to this document.")
    content = Document.objects.values_list("content", flat=True).get(pk=document.pk)
    built = kinds.BuiltFile(
        filename=document.filename,
        content_type=document.content_type,
        content=bytes(content),
        inline=kind.inline,
        subjects=Subjects.from_json(document.subjects),
    )
    # Each download is an access to the personal data it holds: logged now, not when it was made.
    path = document.parameters.get("path", "")
    query = document.parameters.get("query", "")
    record_download(
        request.user,
        kind=kind,
        fmt=document.format,
        title=document.title,
        subjects=built.subjects,
        path=f"{path}?{query}" if query else path,
        record=kind.record_of(asked),
    )
    return file_response(built)


@require_POST
def document_send_again(request, pk):
    document = _document(request, pk, change=True)
    if document_resend(document=document):
        messages.success(request, "Your document has been sent to the background worker again.")
    else:
        messages.info(request, "Your document is being made or is ready: there is nothing to try again.")
    return redirect(document)
