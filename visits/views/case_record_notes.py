"""A finalised visit's case-record notes (visits.case_record_notes): the page with one note per young
person met, each to copy or download as plain text, and the button marking it as put on their case
record. Shown only to staff who may see young people; provider users never see a note."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from providers.case_record_notes import refuse_unless_may_see_notes
from providers.privacy import record_seen
from qa_portal import access
from qa_portal.access_log import AccessAction
from visits import services
from visits.case_record_notes import visit_case_record_notes
from visits.models import Visit, VisitStatus
from visits.selectors import visit_with_report_data


def _visit(request, pk) -> Visit:
    visit = access.get_for_user(request.user, visit_with_report_data(Visit.objects.all()), pk=pk)
    refuse_unless_may_see_notes(request.user)
    return visit


def _notes(request, visit):
    recommendations = access.visible_to(request.user, visit.recommendations.all()).select_related("owner")
    return visit_case_record_notes(visit, recommendations.order_by("due_date", "pk"))


def may_record(user) -> bool:
    """Who marks a note as put on a case record: those who may see the notes and change visits (the QA
    lead; senior leaders change visits but do not see young people's records)."""
    return user.has_perm("visits.change_visit")


@require_GET
def case_record_notes(request, pk):
    visit = _visit(request, pk)
    if visit.status != VisitStatus.FINALISED:
        messages.info(request, "Case-record notes are made once the report is finalised.")
        return redirect(visit)
    notes = _notes(request, visit)
    record_seen(request, f"Case-record notes: {visit}", [note.young_person.pk for note in notes], record=visit)
    context = {
        "visit": visit,
        "notes": notes,
        "to_do": sum(not note.is_recorded for note in notes),
        "may_record": may_record(request.user),
    }
    return render(request, "visits/case_record_notes.html", context)


def _note_of(request, pk, young_person_pk):
    visit = _visit(request, pk)
    note = next((n for n in _notes(request, visit) if n.young_person.pk == young_person_pk), None)
    if note is None:  # not met on this visit, or the report not finalised
        raise Http404("No case-record note for this young person on this visit.")
    return visit, note


@require_GET
def case_record_note_download(request, pk, young_person_pk):
    visit, note = _note_of(request, pk, young_person_pk)
    what = f"Case-record note (text file): {visit}"
    record_seen(request, what, [young_person_pk], record=visit, action=AccessAction.DOWNLOADED)
    response = HttpResponse(note.text.replace("\n", "\r\n") + "\r\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{note.filename}"'
    return response


@require_POST
def case_record_note_recorded(request, pk, young_person_pk):
    visit = _visit(request, pk)
    if not may_record(request.user):
        raise PermissionDenied("You cannot mark notes as put on the case records.")
    person = visit.young_people_met.filter(pk=young_person_pk).first()
    if person is None:
        raise Http404("This young person was not met on this visit.")
    try:
        services.visit_record_case_record_note(visit=visit, young_person=person, by=request.user)
    except services.VisitStepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The note for {person.initials} is marked as recorded on their case record")
    return redirect(reverse("visits:case_record_notes", args=[visit.pk]) + f"#note-{person.pk}")
