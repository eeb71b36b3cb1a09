"""A held review meeting's case-record notes (reviews.case_record_notes): one per young person whose
outcome was marked for the case record, each to copy or download as plain text, and the button
marking it as put there. Meetings are the council's own record: provider users never see them (404),
and the notes are shown only to staff who may see young people."""

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
from reviews import case_record_notes, meetings
from reviews.models import MeetingStatus, Recommendation, ReviewMeeting, YoungPersonOutcome


def _meeting(request, pk) -> ReviewMeeting:
    meeting = access.get_for_user(request.user, ReviewMeeting.objects.select_related("provider", "recorded_by"), pk=pk)
    refuse_unless_may_see_notes(request.user)
    return meeting


def _notes(request, meeting):
    recommendations = (
        access.visible_to(request.user, Recommendation)
        .filter(review_meeting=meeting)
        .select_related("owner")
        .order_by("due_date", "pk")
    )
    return case_record_notes.meeting_case_record_notes(meeting, recommendations)


def may_record(user) -> bool:
    """Who marks a meeting's note as put on a case record: those who record the meeting's outcomes
    (commissioning officers, who run review meetings)."""
    return user.has_perm("reviews.change_youngpersonoutcome")


@require_GET
def meeting_case_record_notes(request, pk):
    meeting = _meeting(request, pk)
    if meeting.status != MeetingStatus.HELD:
        messages.info(request, "Case-record notes are made once the meeting has been held and recorded.")
        return redirect(meeting)
    notes = _notes(request, meeting)
    record_seen(
        request,
        f"Case-record notes: review meeting with {meeting.provider.name}",
        [note.young_person.pk for note in notes],
        record=meeting,
    )
    context = {
        "meeting": meeting,
        "notes": notes,
        "to_do": sum(not note.is_recorded for note in notes),
        "may_record": may_record(request.user),
    }
    return render(request, "reviews/meetings/case_record_notes.html", context)


@require_GET
def meeting_case_record_note_download(request, pk, young_person_pk):
    meeting = _meeting(request, pk)
    note = next((n for n in _notes(request, meeting) if n.young_person.pk == young_person_pk), None)
    if note is None:  # no outcome for them marked for the case record, or the meeting not held
        raise Http404("No case-record note for this young person from this meeting.")
    what = f"Case-record note (text file): review meeting with {meeting.provider.name}"
    record_seen(request, what, [young_person_pk], record=meeting, action=AccessAction.DOWNLOADED)
    response = HttpResponse(note.text.replace("\n", "\r\n") + "\r\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{note.filename}"'
    return response


@require_POST
def meeting_case_record_note_recorded(request, pk, young_person_pk):
    meeting = _meeting(request, pk)
    if not may_record(request.user):
        raise PermissionDenied("You cannot mark notes as put on the case records.")
    outcome = YoungPersonOutcome.objects.filter(
        meeting=meeting, young_person_id=young_person_pk, for_case_record=True
    ).first()
    if outcome is None:
        raise Http404("No outcome for this young person from this meeting is to go on their case record.")
    try:
        outcome = meetings.outcome_record_on_case_record(outcome=outcome, by=request.user)
    except meetings.MeetingStepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"The note for {outcome.young_person.initials} is marked as recorded on their case record"
        )
    return redirect(reverse("reviews:meeting_case_record_notes", args=[meeting.pk]) + f"#note-{young_person_pk}")
