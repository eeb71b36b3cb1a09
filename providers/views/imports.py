"""Imports for commissioning officers: upload a CSV, check what it would do, then apply it once."""

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from providers.forms import ImportUploadForm
from providers.importers import (
    PLACEMENT_COLUMNS_HELP,
    ImportResult,
    runs,
)
from providers.importers.ofsted import NO_INSPECTION_DATE, NO_JUDGEMENT_COLUMN
from providers.importers.queue import import_queue
from providers.models import ImportJob, ImportKind, ImportRun, ImportRunStatus
from qa_portal import access
from qa_portal.intentions import one_record_per_intention

PAGE_SIZE = 25
# Skipped rows listed on the preview: Ofsted's national file skips thousands; the first ones show the pattern.
SKIPS_SHOWN = 200

ACKNOWLEDGE_ERRORS = {
    NO_INSPECTION_DATE: "Confirm that the settings should be imported without their judgements",
    NO_JUDGEMENT_COLUMN: "Confirm that the settings should be imported without their inspections",
}

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
                rows=form.rows,
                uploaded_by=request.user,
            )
            if runs.in_the_worker(run):
                import_queue(run=run, job=ImportJob.PREVIEW, by=request.user)
            else:
                run.preview = runs.import_preview(run=run)
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
    """The preview of an uploaded file, its questions and its import. A POST with action "answers" saves
    the person's answers to the preview's questions (near matches, conflicting judgements) and checks
    the file again with them; any other POST imports the file, once every question is answered and
    every warning about the file as a whole acknowledged (never a silent partial import)."""
    run = access.get_for_user(request.user, ImportRun, pk=pk, change=request.method == "POST")
    if run.in_the_worker or run.status == ImportRunStatus.FAILED:
        return _in_the_worker(request, run)
    preview = ImportResult.from_dict(run.preview)
    if request.method == "POST" and not run.applied_at:
        if request.POST.get("action") == "answers":
            return _save_answers(request, run, preview)
        if errors := _acknowledge(request, run, preview):
            return _page(request, run, preview, errors)
    if request.method == "POST":
        return _apply(request, run)
    return _page(request, run, preview)


def _page(request, run: ImportRun, preview: ImportResult, errors: list[dict] | None = None):
    """The run page; `errors` ({"field", "href", "message"}) are shown in the error summary and beside
    their question, with what was posted still chosen."""
    posted = request.POST if request.method == "POST" else {}
    for index, offer in enumerate(preview.offers):
        offer["field"] = f"match-{index}"
        offer["chosen"] = posted.get(offer["field"], str(offer["answer"] or ""))
    for conflict in preview.conflicts:
        conflict["field"] = f"conflict-{conflict['line']}"
        conflict["chosen"] = posted.get(conflict["field"], conflict["answer"] or "")
    return render(
        request,
        "providers/imports/run.html",
        {
            "run": run,
            "heading": HEADINGS[run.kind],
            "preview": preview,
            "result": ImportResult.from_dict(run.result) if run.applied_at else None,
            "errors": errors or [],
            "error_for": {error["field"]: error["message"] for error in errors or []},
            "acknowledged": posted.getlist("acknowledge") if posted else [],
            "skips_shown": SKIPS_SHOWN,
            "skips_slice": f":{SKIPS_SHOWN}",
        },
        status=200,
    )


def _save_answers(request, run: ImportRun, preview: ImportResult):
    """Keep the answers to every question of the preview and check the file again with them."""
    errors, matches, conflicts = [], {}, {}
    for index, offer in enumerate(preview.offers):
        field = f"match-{index}"
        answer = request.POST.get(field, "")
        if answer not in {"skip", *(str(candidate["pk"]) for candidate in offer["candidates"])}:
            errors.append(_error(field, f"Choose whether '{offer['organisation']}' is one of our providers"))
        matches[offer["key"]] = answer
    for conflict in preview.conflicts:
        field = f"conflict-{conflict['line']}"
        answer = request.POST.get(field, "")
        if answer not in ("ours", "file"):
            errors.append(_error(field, f"Choose which judgement to keep for line {conflict['line']}"))
        conflicts[str(conflict["line"])] = answer
    if errors:
        return _page(request, run, preview, errors)
    decisions = run.decisions
    decisions["matches"] = {**decisions.get("matches", {}), **matches}
    decisions["conflicts"] = {**decisions.get("conflicts", {}), **conflicts}
    run.decisions = decisions
    run.save(update_fields=["decisions"])
    if runs.in_the_worker(run):
        import_queue(run=run, job=ImportJob.PREVIEW, by=request.user)
        messages.success(request, "Answers saved. The file is being checked again with them.")
        return redirect("providers:import_run", pk=run.pk)
    run.preview = runs.import_preview(run=run)
    run.save(update_fields=["preview"])
    messages.success(request, "Answers saved. Check what the import will do now, then import the file.")
    return redirect("providers:import_run", pk=run.pk)


def _acknowledge(request, run: ImportRun, preview: ImportResult) -> list[dict]:
    """Before an import: every question answered and every warning about the file ticked as read.
    Returns the errors; with none, the acknowledged warnings are kept on the run."""
    errors = []
    if preview.unanswered:
        errors.append(_error("questions", "Answer the questions about this file before you import it"))
    ticked = request.POST.getlist("acknowledge")
    for warning in preview.warnings:
        if not warning["acknowledged"] and warning["kind"] not in ticked:
            errors.append(_error(f"acknowledge-{warning['kind']}", ACKNOWLEDGE_ERRORS[warning["kind"]]))
    if not errors and ticked:
        run.decisions = {**run.decisions, "acknowledged": sorted({*run.decisions.get("acknowledged", []), *ticked})}
        run.save(update_fields=["decisions"])
    return errors


def _error(field: str, message: str) -> dict:
    return {"field": field, "href": f"#{field}", "message": message}


def _apply(request, run: ImportRun):
    if runs.in_the_worker(run):
        if import_queue(run=run, job=ImportJob.APPLY, by=request.user):
            messages.success(request, "The file is being imported in the background. You can leave this page.")
        return redirect("providers:import_run", pk=run.pk)
    applied = runs.import_apply(run=run, by=request.user)
    (messages.success if applied.imported else messages.error)(request, applied.message)
    return redirect("providers:import_run", pk=run.pk)


def _in_the_worker(request, run: ImportRun):
    """A big file's page while the worker checks or imports it, or after it failed: the progress
    (static/js/imports.js keeps it up to date), or why it failed with a button to try again."""
    if request.method == "POST":
        if run.status == ImportRunStatus.FAILED and request.POST.get("action") == "again":
            import_queue(run=run, job=run.job or ImportJob.PREVIEW, by=request.user)
        return redirect("providers:import_run", pk=run.pk)
    return render(
        request,
        "providers/imports/run_in_the_worker.html",
        {
            "run": run,
            "heading": HEADINGS[run.kind],
            "progress_url": reverse("providers:import_progress", args=[run.pk]),
        },
    )


@require_GET
@never_cache
@permission_required("providers.add_importrun", raise_exception=True)
def import_progress(request, pk):
    """Where a big file's check or import has got to, for its page (polled every 2 seconds):
    {"status", "finished", "html"}; once finished, the page is loaded again to show the outcome."""
    run = access.get_for_user(request.user, ImportRun, pk=pk)
    html = render_to_string("providers/imports/_progress.html", {"run": run}, request=request)
    return JsonResponse({"status": run.status, "finished": not run.in_the_worker, "html": html})
