"""Workflows of commissioning review meetings: schedule one (never two open for a provider), record
a meeting held, and raise a recommendation at it. What the meeting looks at beforehand is read by
`reviews.preparation`.

The cadence and placement volume come from `reviews.selectors.review_status`, so a meeting is
scheduled on the same rule the provider page and the compliance overview show."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from providers.models import Provider
from reviews.models import (
    COUNTED_AREAS,
    ComplianceArea,
    ComplianceCheck,
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
    The open meeting is returned either way."""
    reason = (brought_forward_because or "").strip()
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
    return meeting


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
