"""Writing up a visit: one page per template section, saved as the visitor types.

Every save says what it started from; a field someone else changed meanwhile is not
overwritten: the visitor is shown both versions and decides."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qa_portal import access
from visits import services
from visits.forms import SectionForm
from visits.models import Visit
from visits.selectors import report_sections, visit_with_report_data


def _load(request, pk, number):
    visit = access.get_for_user(request.user, visit_with_report_data(Visit.objects.all()), pk=pk)
    sections = list(visit.template.sections.all())
    section = next((s for s in sections if s.number == number), None)
    if section is None:
        raise Http404("No such section")
    later = [s for s in sections if s.number > number]
    return visit, section, sections, (later[0] if later else None)


def _conflict_message(conflict: services.Conflict) -> str:
    when = timezone.localtime(conflict.at).strftime("%H:%M on %d/%m/%Y")
    return (
        f"{conflict.by} saved a different version at {when} while you were writing. Your version is still in "
        "the box and has not been saved. Their version is shown above the form. Combine them if you need to, "
        "then save again."
    )


def section(request, pk, number):
    visit, section, sections, next_section = _load(request, pk, number)
    can_change = access.can_change(request.user, visit)
    if request.method == "POST" and not can_change:
        raise PermissionDenied("This visit can no longer be changed.")
    context = {
        "visit": visit,
        "section": section,
        "sections": sections,
        "next_section": next_section,
        "can_change": can_change,
        "conflicts": {},
    }
    if section.special in ("recommendations", "provider_response") or not can_change:
        context["report"] = next(r for r in report_sections(visit) if r.section.pk == section.pk)
        context["recommendations"] = visit.recommendations.select_related("young_person", "owner").order_by("pk")
        return render(request, "visits/section_read.html", context)

    form = SectionForm(request.POST or None, visit=visit, section=section)
    if request.method == "POST":
        form.is_valid()  # valid fields are saved even if another field has a mistake
        answers, fields = form.changes()
        try:
            result = services.visit_save(visit=visit, by=request.user, answers=answers, fields=fields)
        except services.VisitStepRefused as exc:
            messages.error(request, str(exc))
            return redirect(visit)
        for name, conflict in result.conflicts.items():
            form.add_error(name, _conflict_message(conflict))
            form.show_base(name, conflict.theirs)
            context["conflicts"][form.fields[name].label] = conflict
        if not form.errors:
            messages.success(request, f"Section {section.number} saved")
            if "continue" in request.POST and next_section:
                return redirect("visits:section", pk=visit.pk, number=next_section.number)
            return redirect("visits:section", pk=visit.pk, number=section.number)
    context["form"] = form
    context["autosave_url"] = reverse("visits:autosave", args=[visit.pk, section.number])
    return render(request, "visits/section_edit.html", context)


@require_POST
def autosave(request, pk, number):
    """Saves the typed text of one section; answers JSON. 409 when someone else changed a field first."""
    visit, section, _, _ = _load(request, pk, number)
    if not access.can_change(request.user, visit):
        return JsonResponse({"error": "This visit can no longer be changed."}, status=403)
    try:
        payload = json.loads(request.body or b"{}")
        changes = payload["fields"]
        assert isinstance(changes, dict)
    except (ValueError, KeyError, AssertionError):
        return JsonResponse({"error": "The save was not understood."}, status=400)
    form = SectionForm(visit=visit, section=section)
    text_fields = {
        name
        for name in [*form.answer_names, *form.visit_field_names]
        if form.fields[name].widget.attrs.get("data-autosave")
    }
    answers, fields = {}, {}
    for name, change in changes.items():
        if name not in text_fields or not isinstance(change, dict):
            continue
        base, value = str(change.get("base", "")), str(change.get("value", ""))
        (answers if name in form.answer_names else fields)[name] = (base, value)
    try:
        result = services.visit_save(visit=visit, by=request.user, answers=answers, fields=fields)
    except services.VisitStepRefused as exc:
        return JsonResponse({"error": str(exc)}, status=409)
    body = {
        "saved": result.saved,
        "conflicts": {
            name: {"theirs": c.theirs, "by": c.by, "message": _conflict_message(c)}
            for name, c in result.conflicts.items()
        },
        "saved_at": timezone.localtime().strftime("%H:%M:%S"),
    }
    return JsonResponse(body, status=409 if result.conflicts else 200)
