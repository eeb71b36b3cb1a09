"""Booking a review meeting (its date, time, place and who is invited), changing the booking, and
cancelling the meeting: commissioning's steps, each sending the calendar invites at once
(reviews.meetings, reviews.invites)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from qa_portal import access
from reviews import meetings
from reviews.booking_forms import MeetingBookingForm, MeetingCancelForm
from reviews.invites import when
from reviews.models import MeetingStatus, ReviewMeeting


def _open_meeting(request, pk) -> ReviewMeeting | None:
    """The meeting, if it is still open; None (with the reason said) if it was held or cancelled."""
    meeting = access.get_for_user(
        request.user, ReviewMeeting.objects.select_related("provider", "booked_by"), pk=pk, change=True
    )
    if meeting.status == MeetingStatus.SCHEDULED:
        return meeting
    messages.info(request, f"This meeting was {meeting.get_status_display().lower()}, so it cannot be changed")
    return None


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


@require_http_methods(["GET", "POST"])
@permission_required("reviews.add_reviewmeeting", raise_exception=True)
def meeting_book(request, pk):
    meeting = _open_meeting(request, pk)
    if meeting is None:
        return redirect("reviews:meeting_detail", pk=pk)
    form = MeetingBookingForm(request.POST or None, meeting=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = meetings.meeting_book(
                meeting=meeting,
                by=request.user,
                starts_at=form.starts_at(),
                ends_at=form.ends_at(),
                place=data["place"],
                online_link=data["online_link"],
                invitees=form.invitees(),
            )
        except meetings.MeetingStepRefused as exc:
            messages.info(request, str(exc))
            return redirect(meeting)
        except ValidationError as exc:
            # The form checks everything the service does; this is the last guard, shown beside the field.
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            meeting.refresh_from_db()
            if change.first:
                messages.success(
                    request, f"Meeting booked for {when(meeting)}: the invite was sent to {_people(change.invited)}"
                )
            elif change.changed:
                removed = f", and a cancellation to {_people(change.uninvited)}" if change.uninvited else ""
                messages.success(request, f"Booking changed: the update was sent to {_people(change.invited)}{removed}")
            else:
                messages.info(request, "Nothing changed, so nothing was sent")
            return redirect(meeting)
    heading = "Change the booking" if meeting.is_booked else "Book the meeting"
    return render(request, "reviews/meetings/meeting_book.html", {"form": form, "meeting": meeting, "heading": heading})


@require_http_methods(["GET", "POST"])
@permission_required("reviews.add_reviewmeeting", raise_exception=True)
def meeting_cancel(request, pk):
    meeting = _open_meeting(request, pk)
    if meeting is None:
        return redirect("reviews:meeting_detail", pk=pk)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings.meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        except meetings.MeetingStepRefused as exc:
            messages.info(request, str(exc))
        else:
            messages.success(request, f"Review meeting with {meeting.provider} cancelled: everyone invited was told")
        return redirect(meeting)
    return render(
        request,
        "reviews/meetings/meeting_cancel.html",
        {"form": form, "meeting": meeting, "heading": "Cancel the review meeting", "invitees": meeting.invitees.all()},
    )
