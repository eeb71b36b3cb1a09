"""Workflows of commissioning review meetings: schedule one (never two open for a provider), book it
(date, time, place and who is invited) or change its booking, cancel it, record a meeting held, and
raise a recommendation at it. What the meeting looks at beforehand is read by `reviews.preparation`;
who is sent which calendar invite, by `reviews.invites`.

The cadence and placement volume come from `reviews.selectors.review_status`, so a meeting is
scheduled on the same rule the provider page and the compliance overview show."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from providers.models import Provider
from qa_portal.working_days import working_day_on_or_before
from reviews.invites import send_cancellation, send_invites, send_uninvites
from reviews.models import (
    COUNTED_AREAS,
    ComplianceArea,
    ComplianceCheck,
    MeetingInvitee,
    MeetingStatus,
    Recommendation,
    ReviewMeeting,
    Source,
    YoungPersonOutcome,
)
from reviews.notifications import tell_owner_assigned
from reviews.selectors import review_status


class MeetingStepRefused(Exception):
    """The meeting is not at a point where this can be done, for example it was recorded already."""


def _open_meeting_locked(provider: Provider) -> ReviewMeeting | None:
    return ReviewMeeting.objects.select_for_update().open().filter(provider=provider).first()


@transaction.atomic
def meeting_schedule(*, provider: Provider, due_date: date, by, brought_forward_because: str = "") -> ReviewMeeting:
    """Schedule the provider's next review meeting, with the cadence and placement volume it has now.

    A provider has at most one open meeting. If one is open already, no second one is made: when
    this one is brought forward (for example because of a concern) to a date earlier than the open
    meeting's, the open meeting moves to that date and records why; otherwise it is left as it is.
    A booked meeting brought forward to before the day it is booked for moves to the new due date,
    at the same times and place, and everyone invited is sent the update at once (a higher SEQUENCE).
    The open meeting is returned either way.

    A due date on a weekend or bank holiday becomes the working day before it (issue 12)."""
    reason = (brought_forward_because or "").strip()
    due_date = working_day_on_or_before(due_date)
    meeting = _open_meeting_locked(provider)
    if meeting is None:
        status = review_status(provider)
        meeting = ReviewMeeting(
            provider=provider,
            cadence=status.cadence,
            placement_volume=status.placement_volume,
            due_date=due_date,
            brought_forward_because=reason,
        )
        # The one-open-meeting rule is kept by the database constraint, not by the read above:
        # another request may have scheduled a meeting since. So constraints are not checked here.
        meeting.full_clean(validate_constraints=False)
        meeting._history_user = by
        try:
            with transaction.atomic():
                meeting.save()
            return meeting
        except IntegrityError:
            meeting = _open_meeting_locked(provider)
            if meeting is None:  # some other integrity problem: not ours to hide
                raise
    if reason and due_date < meeting.due_date:
        meeting.due_date = due_date
        meeting.brought_forward_because = reason
        meeting.full_clean(validate_constraints=False)
        meeting._history_user = by
        meeting.save(update_fields=["due_date", "brought_forward_because"])
        if meeting.is_booked and meeting.day > due_date:
            shift = timedelta(days=(meeting.day - due_date).days)
            if meeting.starts_at - shift < timezone.now():
                raise ValidationError(
                    {
                        "due_date": f"The meeting is booked for {timezone.localtime(meeting.starts_at):%H:%M}, "
                        "which has passed today: choose a later due date, or change the booking"
                    }
                )
            meeting_book(
                meeting=meeting,
                by=by,
                starts_at=meeting.starts_at - shift,
                ends_at=meeting.ends_at - shift,
                place=meeting.place,
                online_link=meeting.online_link,
                invitees=list(meeting.invitees.all()),
            )
            meeting.refresh_from_db()
    return meeting


@dataclass
class BookingChange:
    """What booking or re-booking a meeting did: `first` booking, `moved` (its date, time or place
    changed), and how many people were sent the invite (`invited`) or its cancellation (`uninvited`)."""

    first: bool = False
    moved: bool = False
    invited: int = 0
    uninvited: int = 0

    @property
    def changed(self) -> bool:
        return self.first or self.moved or bool(self.invited or self.uninvited)


def _locked_open(meeting: ReviewMeeting) -> ReviewMeeting:
    locked = (
        ReviewMeeting.objects.select_for_update(of=("self",)).select_related("provider", "booked_by").get(pk=meeting.pk)
    )
    if locked.status == MeetingStatus.CANCELLED:
        raise MeetingStepRefused("This meeting was cancelled.")
    if locked.status != MeetingStatus.SCHEDULED:
        raise MeetingStepRefused("This meeting has already been recorded.")
    return locked


@transaction.atomic
def meeting_book(
    *,
    meeting: ReviewMeeting,
    by,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    online_link: str,
    invitees: list[MeetingInvitee],
) -> BookingChange:
    """Book the meeting, or change its booking: when (aware datetimes), where (a place, a link to join
    online, or both) and who is invited (unsaved or saved MeetingInvitees, one per email address).

    Every change raises the invite's SEQUENCE. A change of date, time or place (bringing the meeting
    forward included) sends the new invite at once to everyone invited; a change only of who is
    invited sends it to those added. Anyone else holding the invite (taken off the list, or sent an
    all-day one for the due date by an earlier version) is sent a cancellation naming them.
    Nothing changed, nothing sent. Raises ValidationError (end not after start, no place and no link,
    nobody invited) or MeetingStepRefused (the meeting was cancelled or held)."""
    place, online_link = (place or "").strip(), (online_link or "").strip()
    errors = {}
    if ends_at <= starts_at:
        errors["end_time"] = "The meeting must end after it starts"
    if not place and not online_link:
        errors["place"] = "Enter where the meeting is, or a link to join it online"
    if not invitees:
        errors["contacts"] = "Invite at least one person"
    if errors:
        raise ValidationError(errors)
    locked = _locked_open(meeting)
    first = not locked.is_booked
    moved = not first and (locked.starts_at, locked.ends_at, locked.place, locked.online_link) != (
        starts_at,
        ends_at,
        place,
        online_link,
    )
    before = {invitee.email.lower(): invitee for invitee in locked.invitees.all()}
    wanted: dict[str, MeetingInvitee] = {}
    for invitee in invitees:
        wanted.setdefault(invitee.email.strip().lower(), invitee)
    removed = [invitee for email, invitee in before.items() if email not in wanted]
    added = [email for email in wanted if email not in before]
    if not first and not moved and not removed and not added:
        return BookingChange()
    if (first or moved) and starts_at < timezone.now():
        raise ValidationError({"date": "The meeting cannot start in the past"})

    locked.starts_at, locked.ends_at, locked.place, locked.online_link = starts_at, ends_at, place, online_link
    locked.booked_by = locked.booked_by or by  # the organiser stays the same, or calendars refuse updates
    locked.invite_sequence += 1
    locked.full_clean()
    locked._history_user = by
    locked.save()
    for invitee in removed:
        invitee._history_user = by
        invitee.delete()
    kept, new = [], []
    for email, wanted_one in wanted.items():
        invitee = before.get(email) or MeetingInvitee(meeting=locked)
        for name in ("name", "role", "user", "contact", "chair"):
            setattr(invitee, name, getattr(wanted_one, name))
        invitee.email = wanted_one.email.strip()
        invitee.full_clean(exclude=["meeting"], validate_constraints=False)
        invitee._history_user = by
        invitee.save()
        (kept if email in before else new).append(invitee)
    change = BookingChange(first=first, moved=moved)
    change.invited = send_invites(locked, new, updated=False)
    if first or moved:
        change.invited += send_invites(locked, kept, updated=True)
    change.uninvited = send_uninvites(locked, kept + new, removed)
    return change


@transaction.atomic
def meeting_cancel(*, meeting: ReviewMeeting, by, reason: str) -> ReviewMeeting:
    """Cancel an open meeting, with the reason: it leaves the lists and reminders, and everyone holding
    its invite is sent a cancellation (METHOD:CANCEL, a higher SEQUENCE); the commissioning officers
    are told either way. `by` is None when review scheduling closes a meeting no longer needed.
    Raises ValidationError (no reason) or MeetingStepRefused (cancelled or held already)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the meeting is cancelled"})
    locked = _locked_open(meeting)
    locked.status = MeetingStatus.CANCELLED
    locked.cancelled_because = reason
    locked.cancelled_at = timezone.now()
    locked.cancelled_by = by
    locked.invite_sequence += 1
    locked.full_clean(validate_constraints=False)
    locked._history_user = by
    locked.save()
    send_cancellation(locked, actor=by)
    return locked


@transaction.atomic
def meeting_record(
    *,
    meeting: ReviewMeeting,
    by,
    held_at: datetime,
    attendees: str,
    provider_concerns: str,
    provider_successes: str,
    feedback_to_authority: str,
    notes: str,
    checks: dict[str, tuple[str, int | None, str]],
    outcomes: dict[int, tuple[str, bool]],
) -> ReviewMeeting:
    """Record a meeting as held: what was said, the compliance checklist (area -> (RAG, count,
    notes)) and the outcomes for young people (young person id -> (notes, put on case record)).

    Recorded once only: a second submission of the same meeting (a double click, a colleague at
    the same time) is refused with MeetingStepRefused and changes nothing."""
    if held_at > timezone.now():
        raise ValidationError({"held_at": "The meeting cannot have been held in the future"})
    meeting.status = MeetingStatus.HELD
    meeting.held_at = held_at
    meeting.attendees = attendees.strip()
    meeting.provider_concerns = provider_concerns.strip()
    meeting.provider_successes = provider_successes.strip()
    meeting.feedback_to_authority = feedback_to_authority.strip()
    meeting.notes = notes.strip()
    meeting.recorded_by = by
    meeting.full_clean()

    compliance = []
    for area in ComplianceArea:
        rag, count, area_notes = checks.get(area, ("", None, ""))
        check = ComplianceCheck(
            meeting=meeting,
            area=area,
            rag=rag or "",
            count=count if area in COUNTED_AREAS else None,
            notes=(area_notes or "").strip(),
        )
        check.full_clean(validate_constraints=False)
        compliance.append(check)
    people = []
    for young_person_id, (outcome_notes, for_case_record) in outcomes.items():
        outcome_notes = (outcome_notes or "").strip()
        if not outcome_notes:
            if for_case_record:
                raise ValidationError({"outcomes": "Write the outcome before putting it on the case record"})
            continue
        outcome = YoungPersonOutcome(
            meeting=meeting, young_person_id=young_person_id, notes=outcome_notes, for_case_record=for_case_record
        )
        outcome.full_clean(exclude=["young_person"], validate_constraints=False)
        people.append(outcome)

    # A sort of optimistic lock: only the request that moves the meeting from scheduled to held
    # goes on to write. A second one waits for the first to commit, then finds nothing to update.
    if not ReviewMeeting.objects.filter(pk=meeting.pk, status=MeetingStatus.SCHEDULED).update(
        status=MeetingStatus.HELD, held_at=held_at
    ):
        raise MeetingStepRefused("This meeting has already been recorded.")
    meeting._history_user = by
    meeting.save()  # the rest of the record, and one entry in the meeting's history
    for row in [*compliance, *people]:
        row._history_user = by
        row.save()
    return meeting


@transaction.atomic
def meeting_recommendation_raise(*, recommendation: Recommendation, meeting: ReviewMeeting, by) -> Recommendation:
    """A recommendation (an action) agreed at, or in preparing for, a review meeting; its owner is
    told at once."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingStepRefused("This meeting was cancelled.")
    recommendation.source = Source.REVIEW_MEETING
    recommendation.review_meeting = meeting
    recommendation.visit = None
    recommendation.provider = meeting.provider
    recommendation.created_by = recommendation.created_by if recommendation.created_by_id else by
    recommendation.full_clean()
    recommendation._history_user = by
    recommendation.save()
    tell_owner_assigned(recommendation, by=by)
    return recommendation


@transaction.atomic
def outcome_record_on_case_record(*, outcome: YoungPersonOutcome, by) -> YoungPersonOutcome:
    """Record that the young person's note of the meeting (reviews.case_record_notes) is on their case
    record (Mosaic): who did it and when, on the outcome, with an entry in its change history (issue 17).

    Raises MeetingStepRefused if the outcome was not marked at the meeting to go on the case record,
    or is already recorded there (saying by whom and when); the outcome row is locked first, so two
    clicks record it once."""
    locked = (
        YoungPersonOutcome.objects.select_for_update(of=("self",))
        .select_related("young_person", "recorded_on_case_record_by")
        .get(pk=outcome.pk)
    )
    if not locked.for_case_record:
        raise MeetingStepRefused(
            f"The outcome for {locked.young_person.initials} was not marked at the meeting to go on their case record."
        )
    if locked.recorded_on_case_record_at is not None:
        who = locked.recorded_on_case_record_by.full_name if locked.recorded_on_case_record_by_id else "someone"
        raise MeetingStepRefused(
            f"The note for {locked.young_person.initials} was already recorded on their case record by {who} "
            f"on {timezone.localtime(locked.recorded_on_case_record_at):%-d %B %Y at %H:%M}."
        )
    locked.recorded_on_case_record_at = timezone.now()
    locked.recorded_on_case_record_by = by
    locked._history_user = by
    locked._change_reason = "Recorded on the case record"
    locked.save(update_fields=["recorded_on_case_record_at", "recorded_on_case_record_by"])
    return locked
