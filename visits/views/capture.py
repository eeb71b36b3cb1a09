"""Writing up a visit: one page per template section, every answer saved as the visitor gives it.

Every save says what each field started from (its base) and carries only what the visitor changed;
a field someone else changed meanwhile is not overwritten: the visitor is shown both versions and
chooses which to keep."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from providers.privacy import record_seen
from qa_portal import access, second_factor
from qa_portal.lists import kept_content
from qa_portal.views.errors import NO_DATABASE
from visits import services
from visits.access import may_see_young_people_met
from visits.forms import BASE_SUFFIX, SectionForm
from visits.models import Visit
from visits.selectors import report_sections, section_progress, visit_reasons, visit_with_report_data

SIGNED_OUT = "You have been signed out. Your changes are kept in this browser until you sign in again."


def _visit(request, pk):
    return access.get_for_user(request.user, visit_with_report_data(Visit.objects.all()), pk=pk)


def _load(request, pk, number):
    visit = _visit(request, pk)
    sections = list(visit.template.sections.all())
    section = next((s for s in sections if s.number == number), None)
    if section is None:
        raise Http404("No such section")
    later = [s for s in sections if s.number > number]
    return visit, section, sections, (later[0] if later else None)


def _nav(visit, sections):
    """The section list beside each section page: every section with its progress (or None)."""
    progress = section_progress(visit)
    return [(item, progress.get(item.number)) for item in sections]


def _add_you_said(request, visit, context) -> list[int]:
    """What young people asked for, marked on this section ("You said, we did", issue 17), with the
    recommendations raised from each: reached through the reverse relation, as recommendations are.
    Returns the ids of the young people it shows, for the access log."""
    shown = context["can_change"] or may_see_young_people_met(request.user, visit)
    marks = visit.you_said.select_related("young_person").prefetch_related("recommendations").order_by("pk")
    context["you_said"] = list(marks)
    context["you_said_people_shown"] = shown
    return [mark.young_person_id for mark in context["you_said"]] if shown else []


def _seen_on(visit, section) -> str:
    """The access log's words for a section page."""
    return f"Visit section {section}: {visit}"


def _record_section_view(request, visit, section, young_person_ids) -> None:
    """Log the young people a section page shows (those met, or those its recommendations are for)."""
    record_seen(request, _seen_on(visit, section), young_person_ids, record=visit)


def _conflict_message(conflict: services.Conflict, label: str) -> str:
    when = timezone.localtime(conflict.at).strftime("%H:%M on %d/%m/%Y")
    return (
        f"{conflict.by} saved a different version of “{label}” at {when} while you were writing. Yours is "
        "still on the form and has not been saved: choose which version to keep."
    )


def section(request, pk, number):
    """One section of a visit: its form, written up with autosave, while the visit can be changed; read
    only otherwise (and for the sections written elsewhere: recommendations, the provider's response).

    Opened (GET), its content is kept as markup per person, day and address while no table it was read
    from is written (qa_portal.lists.kept_content; its form carries a stand-in for the CSRF token, this
    request's put in at every opening): the first opening after an autosave, a save or any other change
    shows it. The access is checked and the young people shown logged at every opening."""
    if request.method != "POST":
        return _opened(request, pk, number)
    visit, section, sections, next_section = _load(request, pk, number)
    if not access.can_change(request.user, visit):
        raise PermissionDenied("This visit can no longer be changed.")
    if section.special in READ_ONLY:
        return _opened(request, pk, number)  # nothing on it is posted: shown as opened
    context = _context(request, visit, section, sections, next_section, can_change=True)
    if section.special == "views":
        _record_section_view(request, visit, section, _add_you_said(request, visit, context))
    form = SectionForm(request.POST, visit=visit, section=section)
    form.is_valid()  # valid fields are saved even if another field has a mistake
    answers, fields = form.changes()
    try:
        result = services.visit_save(visit=visit, by=request.user, answers=answers, fields=fields)
    except services.VisitStepRefused as exc:
        messages.error(request, str(exc))
        return redirect(visit)
    for name, value in result.saved.items():
        form.show_base(name, value)
    for name, conflict in result.conflicts.items():
        message = _conflict_message(conflict, form.fields[name].label)
        form.show_conflict(name, theirs=conflict.theirs, by=conflict.by, message=message)
    if not form.errors:
        messages.success(request, f"Section {section.number} saved")
        if "continue" in request.POST and context["from_check"]:
            return redirect("visits:submit", pk=visit.pk)
        if "continue" in request.POST and next_section:
            return redirect("visits:section", pk=visit.pk, number=next_section.number)
        return redirect("visits:section", pk=visit.pk, number=section.number)
    # Back with its mistakes or conflicts: drawn for this request, not kept.
    context["nav"] = _nav(_visit(request, pk), sections)  # as saved, not as loaded
    context["form"] = form
    return _page(
        request,
        title=_title(visit, section),
        nav=render_to_string("visits/_section_nav.html", context),
        content=render_to_string("visits/_section_edit.html", context, request=request),
        editing=True,
        has_errors=True,
    )


def _opened(request, pk: int, number: int):
    """The section page as opened: its content kept (see `section`), the access checked and the young
    people it shows logged at every opening."""
    visit = access.get_for_user(request.user, Visit.objects.all(), pk=pk)
    content, kept = kept_content(
        request,
        "visit-section",
        "visits/_section_content.html",
        lambda: _section_context(request, visit.pk, number),
        code=(__name__, "visits.forms", "visits.selectors", "visits.services", "visits.access"),
        posts=True,
    )
    record_seen(request, kept["what"], kept["seen"], record=visit)
    return _page(request, title=kept["title"], nav=kept["nav"], content=content, editing=kept["editing"])


# Sections that are read on their page, never written there.
READ_ONLY = ("recommendations", "provider_response")


def _title(visit, section) -> str:
    return f"{section.number}. {section.title} \N{EN DASH} {visit.provider}"


def _page(request, *, title: str, nav: str, content: str, editing: bool, has_errors: bool = False):
    """The section page around its list of sections and its content (both markup): the messages between."""
    context = {"title": title, "nav": mark_safe(nav), "content": content, "editing": editing, "has_errors": has_errors}
    return render(request, "visits/section_page.html", context)


def _context(request, visit, section, sections, next_section, *, can_change: bool) -> dict:
    return {
        "visit": visit,
        "section": section,
        "sections": sections,
        "next_section": next_section,
        "can_change": can_change,
        # Opened from "Change" on the check page: saving goes back there.
        "from_check": can_change and request.GET.get("from") == "check",
        "nav": _nav(visit, sections),
        "reasons": visit_reasons(visit),
        "autosave_url": reverse("visits:autosave", args=[visit.pk, section.number]),
    }


def _section_context(request, pk: int, number: int) -> tuple[dict, dict]:
    """What the section page shows, for `kept_content`: the context of visits/_section_content.html, and
    {"title", "nav" (markup), "editing", "what" (the access log's words), "seen" (ids of the young people
    shown)}. Every query runs here (the visit read again), so the kept content watches its tables."""
    visit, section, sections, next_section = _load(request, pk, number)
    can_change = access.can_change(request.user, visit)
    context = _context(request, visit, section, sections, next_section, can_change=can_change)
    seen = _add_you_said(request, visit, context) if section.special == "views" else []
    editing = can_change and section.special not in READ_ONLY
    if editing:
        context["form"] = form = SectionForm(visit=visit, section=section)
        if "young_people_met" in form.fields:
            # The young people placed with the provider on the visit date, to tick those met.
            seen += form.fields["young_people_met"].queryset.values_list("pk", flat=True)
    else:
        context["report"] = next(r for r in report_sections(visit) if r.section.pk == section.pk)
        context["recommendations"] = list(
            access.visible_to(request.user, visit.recommendations.all())
            .select_related("young_person", "owner")
            .order_by("pk")
        )
        context["young_people_shown"] = shown_at_all = may_see_young_people_met(request.user, visit)
        if shown_at_all and section.special == "met":
            seen += [person.pk for person in visit.young_people_met.all()]
        elif shown_at_all and section.special == "recommendations":
            seen += [rec.young_person_id for rec in context["recommendations"]]
    context["editing"] = editing
    extra = {
        "title": _title(visit, section),
        "nav": render_to_string("visits/_section_nav.html", context),
        "editing": editing,
        "what": _seen_on(visit, section),
        "seen": seen,
    }
    return context, extra


@login_not_required  # a save after the session ended answers JSON, not the sign-in page
@require_POST
def autosave(request, pk, number):
    """Save the fields of one section that the visitor changed; answers JSON.

    Body: {"fields": {name: {"base": text, "value": text, or a list of texts for checkboxes}}}, only
    the changed fields. Answer: {"saved": {name: text as stored}, "unchanged": [name],
    "conflicts": {name: {"theirs", "theirs_display", "by", "message"}}, "errors": {name: message},
    "saved_at": "HH:MM:SS", "section_status": HTML of the section's progress}. Status 200 when all
    is saved; 409 when someone else changed a field first (theirs is kept); 422 when a value is not
    valid (it is not saved, the rest is); 401 for a signed-out visitor (or one who has given their
    password but not their second factor); 403 when the visit can no
    longer be changed; 400 for a body that is not such JSON; 503 when the database cannot be reached
    (the browser keeps the changes and tries again)."""
    try:
        return _autosave(request, pk, number)
    except (OperationalError, InterfaceError):
        # Lost while saving. Lost before (loading the session), qa_portal.views.errors answers the same.
        return JsonResponse({"error": NO_DATABASE}, status=503)


def _autosave(request, pk, number):
    # Marked @login_not_required, so SecondFactorMiddleware lets it through: someone who has given
    # their password but not yet their code is answered as signed out, and nothing is read or saved.
    if not request.user.is_authenticated or not second_factor.is_complete(request):
        return JsonResponse({"error": SIGNED_OUT, "signed_out": True}, status=401)
    visit, section, _, _ = _load(request, pk, number)
    if not access.can_change(request.user, visit):
        return JsonResponse({"error": "This visit can no longer be changed."}, status=403)
    try:
        changes = json.loads(request.body or b"{}")["fields"]
        if not isinstance(changes, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "The save was not understood."}, status=400)
    data = QueryDict(mutable=True)
    for name, change in changes.items():
        if isinstance(change, dict):
            value = change.get("value", "")
            data.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
            data[name + BASE_SUFFIX] = str(change.get("base", ""))
    form = SectionForm(data, visit=visit, section=section)
    form.is_valid()
    answers, fields = form.changes()
    try:
        result = services.visit_save(visit=visit, by=request.user, answers=answers, fields=fields)
    except services.VisitStepRefused as exc:
        return JsonResponse({"error": str(exc)}, status=409)
    errors = {name: form.errors[name][0] for name in changes if name in form.errors}
    progress = section_progress(_visit(request, pk)).get(section.number)
    body = {
        "saved": result.saved,
        "unchanged": sorted(result.unchanged),
        "conflicts": {
            name: {
                "theirs": c.theirs,
                "theirs_display": form.display(name, c.theirs),
                "by": c.by,
                "message": _conflict_message(c, form.fields[name].label),
            }
            for name, c in result.conflicts.items()
        },
        "errors": errors,
        "saved_at": timezone.localtime().strftime("%H:%M:%S"),
        "section_status": render_to_string("visits/_section_status.html", {"status": progress}),
    }
    return JsonResponse(body, status=409 if result.conflicts else 422 if errors else 200)
