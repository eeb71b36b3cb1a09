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
    ImportNeedsAnswers,
    ImportResult,
)
from providers.importers.ofsted import NO_INSPECTION_DATE, NO_JUDGEMENT_COLUMN
from providers.models import ImportKind, ImportRun
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
    """The preview of an uploaded file, its questions and its import. A POST with action "answers" saves
    the person's answers to the preview's questions (near matches, conflicting judgements) and checks
    the file again with them; any other POST imports the file, once every question is answered and
    every warning about the file as a whole acknowledged (never a silent partial import)."""
    run = access.get_for_user(request.user, ImportRun, pk=pk, change=request.method == "POST")
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
    run.preview = IMPORTERS[run.kind](decisions=decisions).run(run.content, dry_run=True).to_dict()
    run.save(update_fields=["decisions", "preview"])
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
    unseen, needs_answers = [], None
    try:
        with transaction.atomic():
            # A sort of optimistic lock: only the request that sets applied_at runs the import,
            # so a double-click or a second tab can never import the same file twice. A second
            # request waits on the row lock and then finds applied_at already set.
            claimed = ImportRun.objects.filter(pk=run.pk, applied_at__isnull=True).update(
                applied_at=timezone.now(), applied_by=request.user
            )
            if claimed:
                result = IMPORTERS[run.kind](decisions=run.decisions).run(run.content)
                # Never a silent partial import: a row refused now (a provider put on placement stop since
                # the preview) that the preview did not list undoes the whole import, claim and all.
                seen = {refusal["line"] for refusal in ImportResult.from_dict(run.preview).refusals}
                unseen = [refusal for refusal in result.refusals if refusal["line"] not in seen]
                if unseen:
                    transaction.set_rollback(True)
                else:
                    ImportRun.objects.filter(pk=run.pk).update(result=result.to_dict())
    except ImportNeedsAnswers as exc:
        # A new question since the preview (a judgement recorded meanwhile, say): the claim is undone too.
        needs_answers = exc
    if unseen or needs_answers:
        run.preview = IMPORTERS[run.kind](decisions=run.decisions).run(run.content, dry_run=True).to_dict()
        run.save(update_fields=["preview"])
    if needs_answers:
        messages.error(request, f"{needs_answers}. Check the file again below.")
    elif unseen:
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
