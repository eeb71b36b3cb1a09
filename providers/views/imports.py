"""Imports for commissioning officers: upload a CSV, check what it would do, then apply it once."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from providers.forms import ImportUploadForm
from providers.importers import (
    IMPORTERS,
    PLACEMENT_COLUMNS_HELP,
    ImportResult,
)
from providers.models import ImportKind, ImportRun
from qa_portal import access
from qa_portal.intentions import one_record_per_intention

PAGE_SIZE = 25

HEADINGS = {
    ImportKind.OFSTED: "Import Ofsted provider-level data",
    ImportKind.PLACEMENTS: "Import placements from the case-record system",
}


def _kind_or_404(kind: str) -> str:
    if kind not in ImportKind.values:
        raise Http404("No such import.")
    return kind


@require_GET
@permission_required("providers.add_importrun", raise_exception=True)
def imports(request):
    runs = access.visible_to(request.user, ImportRun).select_related("uploaded_by", "applied_by")
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("page"))
    for run in page:
        run.outcome = ImportResult.from_dict(run.result if run.applied_at else run.preview)
    return render(request, "providers/imports/list.html", {"page": page, "headings": HEADINGS})


@require_http_methods(["GET", "POST"])
@permission_required("providers.add_importrun", raise_exception=True)
@one_record_per_intention
def import_upload(request, kind):
    kind = _kind_or_404(kind)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES, kind=kind)
        if form.is_valid():
            run = ImportRun.objects.create(
                kind=kind,
                filename=PurePath(form.cleaned_data["file"].name).name[:255],
                content=form.text,
                uploaded_by=request.user,
            )
            run.preview = IMPORTERS[kind]().run(run.content, dry_run=True).to_dict()
            run.save(update_fields=["preview"])
            return redirect("providers:import_run", pk=run.pk)
    else:
        form = ImportUploadForm(kind=kind)
    return render(
        request,
        "providers/imports/upload.html",
        {"form": form, "kind": kind, "heading": HEADINGS[kind], "placement_columns": PLACEMENT_COLUMNS_HELP},
    )


@require_http_methods(["GET", "POST"])
@permission_required("providers.add_importrun", raise_exception=True)
@one_record_per_intention
def import_run(request, pk):
    run = access.get_for_user(request.user, ImportRun, pk=pk, change=request.method == "POST")
    if request.method == "POST":
        return _apply(request, run)
    preview = ImportResult.from_dict(run.preview)
    return render(
        request,
        "providers/imports/run.html",
        {
            "run": run,
            "heading": HEADINGS[run.kind],
            "preview": preview,
            "result": ImportResult.from_dict(run.result) if run.applied_at else None,
        },
    )


def _apply(request, run: ImportRun):
    unseen = []
    with transaction.atomic():
        # A sort of optimistic lock: only the request that sets applied_at runs the import,
        # so a double-click or a second tab can never import the same file twice. A second
        # request waits on the row lock and then finds applied_at already set.
        claimed = ImportRun.objects.filter(pk=run.pk, applied_at__isnull=True).update(
            applied_at=timezone.now(), applied_by=request.user
        )
        if claimed:
            result = IMPORTERS[run.kind]().run(run.content)
            # Never a silent partial import: a row refused now (a provider put on placement stop since
            # the preview) that the preview did not list undoes the whole import, claim and all.
            seen = {refusal["line"] for refusal in ImportResult.from_dict(run.preview).refusals}
            unseen = [refusal for refusal in result.refusals if refusal["line"] not in seen]
            if unseen:
                transaction.set_rollback(True)
            else:
                ImportRun.objects.filter(pk=run.pk).update(result=result.to_dict())
    if unseen:
        run.preview = IMPORTERS[run.kind]().run(run.content, dry_run=True).to_dict()
        run.save(update_fields=["preview"])
        messages.error(
            request,
            "Nothing has been imported: since you checked this file, a provider in it has been put on placement "
            "stop or marked not to be used. Check the placements listed below, then import the rest.",
        )
    elif not claimed:
        messages.error(
            request,
            "This file has already been imported, so it was not imported again. "
            "To import newer data, upload the new file.",
        )
    else:
        messages.success(
            request,
            f"File imported: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {result.rejected} rejected",
        )
    return redirect("providers:import_run", pk=run.pk)
