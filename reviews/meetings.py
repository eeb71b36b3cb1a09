"""Workflows of commissioning review meetings: schedule one (never two open for a provider),
gather what has happened since the provider's last review, and record a meeting held.

The cadence and placement volume come from `reviews.selectors.review_status`, so a meeting is
scheduled on the same rule the provider page and the compliance overview show."""

from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from providers.models import Concern, InspectionScale, OfstedInspection, Placement, Provider, YoungPerson
from qa_portal import access
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
from reviews.selectors import review_status
from visits.models import Visit

# Without a review held, the preparation looks back this far.
LOOK_BACK_WITHOUT_A_REVIEW = relativedelta(months=12)


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
    """A recommendation (an action) agreed at, or in preparing for, a review meeting."""
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
    return recommendation


# Preparing for a meeting


def meeting_date(meeting: ReviewMeeting, today: date | None = None) -> date:
    """The day the meeting is about: the day it was held; before then its due date, or today once that has passed."""
    today = today or timezone.localdate()
    return meeting.held_on or max(meeting.due_date, today)


def since_last_review(meeting: ReviewMeeting, today: date | None = None) -> tuple[date, date | None]:
    """(start of the period to look back over, the provider's last review held before this meeting).

    The period starts on the day of the last review held before this meeting, or 12 months
    before the meeting if the provider has never had one."""
    today = today or timezone.localdate()
    earlier = ReviewMeeting.objects.held().filter(provider_id=meeting.provider_id).exclude(pk=meeting.pk)
    if meeting.held_at:
        earlier = earlier.filter(held_at__lt=meeting.held_at)
    last = earlier.order_by("-held_at").values_list("held_at", flat=True).first()
    if last:
        last_held = timezone.localtime(last).date()
        return last_held, last_held
    return min(meeting_date(meeting, today), today) - LOOK_BACK_WITHOUT_A_REVIEW, None


@dataclass
class InspectionChange:
    """An Ofsted inspection in the period, with the judgement it replaced for that setting (or provider)."""

    inspection: OfstedInspection
    previous: str | None  # None: the first inspection on record

    @property
    def changed(self) -> bool:
        return self.previous != self.inspection.result_label


@dataclass
class PlacedYoungPerson:
    """A young person placed with the provider, as the meeting sees them: initials and age only."""

    young_person_id: int
    initials: str
    age: int
    cohort: str


@dataclass
class MeetingPreparation:
    """Everything that has happened at a provider between `since` and `until`, for a review meeting."""

    provider: Provider
    since: date
    until: date
    visits: list[Visit]
    open_recommendations: list[Recommendation]
    concerns: list[Concern]
    inspections: list[InspectionChange]
    placements_started: list[Placement]
    placements_ended: list[Placement]


def _visible(user, queryset):
    # Without a user (a command, a test) nothing is hidden; in a request every list goes through the access rules.
    return queryset if user is None else access.visible_to(user, queryset)


def meeting_preparation(*, provider: Provider, since: date, until: date | None = None, user=None) -> MeetingPreparation:
    """What the meeting should look at: QA visits and their overall judgement, concerns received,
    Ofsted inspections (and whether the judgement changed), placements started and ended, all
    from `since` to `until` (today by default), and every recommendation still open.

    A fixed number of queries, however much has happened. Pass `user` to show only what they may see."""
    until = until or timezone.localdate()
    visits = list(
        _visible(user, Visit.objects.filter(provider=provider))
        .annotate(visited_on=Coalesce("visit_date", "planned_date"))
        .filter(visited_on__gte=since, visited_on__lte=until)
        .select_related("provider", "setting", "lead_visitor")
        .order_by("visited_on", "pk")
    )
    open_recommendations = list(
        _visible(user, Recommendation.objects.filter(provider=provider))
        .live()
        .select_related("owner", "young_person", "visit", "review_meeting")
        .order_by("due_date", "pk")
    )
    concerns = list(
        _visible(user, Concern.objects.filter(provider=provider, received_on__gte=since, received_on__lte=until))
        .select_related("setting")
        .order_by("received_on", "pk")
    )
    # All of them, oldest first, to find the judgement each one in the period replaced.
    history = list(
        _visible(user, OfstedInspection.objects.filter(provider=provider))
        .select_related("setting")
        .order_by("inspection_date", "pk")
    )
    latest: dict[tuple, str] = {}
    inspections = []
    for inspection in history:
        key = (inspection.scale, inspection.setting_id if inspection.scale == InspectionScale.FOUR_POINT else None)
        if since <= inspection.inspection_date <= until:
            inspections.append(InspectionChange(inspection, latest.get(key)))
        latest[key] = inspection.result_label
    placements = list(
        _visible(user, Placement.objects.filter(provider=provider))
        .filter(Q(start_date__gte=since, start_date__lte=until) | Q(end_date__gte=since, end_date__lte=until))
        .select_related("young_person", "setting")
        .order_by("start_date", "pk")
    )
    return MeetingPreparation(
        provider=provider,
        since=since,
        until=until,
        visits=visits,
        open_recommendations=open_recommendations,
        concerns=concerns,
        inspections=inspections,
        placements_started=[p for p in placements if since <= p.start_date <= until],
        placements_ended=sorted(
            (p for p in placements if p.end_date and since <= p.end_date <= until), key=lambda p: (p.end_date, p.pk)
        ),
    )


def young_people_placed(meeting: ReviewMeeting, *, user=None, today: date | None = None):
    """The young people the meeting discusses, as a queryset: placed with the provider on the day
    it was held, or (before then) at any time between its due date and today; and anyone with an
    outcome recorded at it."""
    today = today or timezone.localdate()
    if meeting.held_on:
        first = last = meeting.held_on
    else:
        first, last = sorted([meeting.due_date, today])
    placements = _visible(user, Placement.objects.filter(provider_id=meeting.provider_id)).filter(
        Q(start_date__lte=last) & (Q(end_date__isnull=True) | Q(end_date__gt=first))
    )
    recorded = YoungPersonOutcome.objects.filter(meeting=meeting).values("young_person")
    return (
        YoungPerson.objects.filter(Q(placements__in=placements) | Q(pk__in=recorded))
        .distinct()
        .order_by("initials", "pk")
    )


def placed_for_meeting(
    meeting: ReviewMeeting, *, user=None, today: date | None = None, ages_on: date | None = None
) -> list[PlacedYoungPerson]:
    """`young_people_placed`, as initials and age (on the meeting's day, unless `ages_on` says
    otherwise): never names or case-record IDs."""
    on = ages_on or meeting_date(meeting, today)
    return [
        PlacedYoungPerson(person.pk, person.initials, person.age_on(on), person.get_cohort_display())
        for person in young_people_placed(meeting, user=user, today=today)
    ]
