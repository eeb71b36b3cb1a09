"""Preparing for a commissioning review meeting: the day it is about, the period it looks back
over, what happened at the provider in that period, and the young people it discusses.

Every read takes the user it is for and shows only what they may see (`qa_portal.access`)."""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from providers.models import (
    Cohort,
    Concern,
    InspectionScale,
    Judgement,
    OfstedInspection,
    Placement,
    Provider,
    SupportedAccommodationOutcome,
    YoungPerson,
)
from providers.models.young_people import age_on
from qa_portal import access
from reviews.models import ComplianceArea, ComplianceCheck, Recommendation, ReviewMeeting, YoungPersonOutcome
from visits.models import Visit

# Without a review held, the preparation looks back this far.
LOOK_BACK_WITHOUT_A_REVIEW = relativedelta(months=12)


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


def previous_meeting(meeting: ReviewMeeting) -> ReviewMeeting | None:
    """The provider's last review meeting held before this one, with its compliance ratings
    (`compliance_checks`, in checklist order) loaded: the preparation shows them beside this meeting's
    checklist, so a rating can be compared with the last (issue 14). None if none was held."""
    earlier = ReviewMeeting.objects.held().filter(provider_id=meeting.provider_id).exclude(pk=meeting.pk)
    if meeting.held_at:
        earlier = earlier.filter(held_at__lt=meeting.held_at)
    previous = earlier.order_by("-held_at", "-pk").first()
    if previous is not None:
        order = {area: n for n, area in enumerate(ComplianceArea)}
        checks = ComplianceCheck.objects.filter(meeting=previous)
        previous.ratings = sorted(checks, key=lambda check: order.get(check.area, len(order)))
    return previous


@dataclass
class InspectionChange:
    """An Ofsted inspection in the period, with the judgement it replaced for that setting (or provider)."""

    inspection: OfstedInspection
    previous: str | None  # None: the first inspection on record

    @property
    def changed(self) -> bool:
        """Only a full inspection changes the judgement (OfstedInspectionQuerySet.deciding)."""
        return self.inspection.is_full and self.previous != self.inspection.result_label


@dataclass
class CurrentResult:
    """The result that stands for a setting (or a supported accommodation provider) on the meeting's
    day: its latest full inspection by then, however long ago (OfstedInspectionQuerySet.deciding)."""

    inspection: OfstedInspection
    before_the_period: bool  # made before the look-back window, so not among the period's inspections

    @property
    def is_worst(self) -> bool:
        """Inadequate, or supported accommodation outcome 3: the QA lead is to act on it (DOMAIN.md)."""
        return self.inspection.judgement == Judgement.INADEQUATE or (
            self.inspection.sa_outcome == SupportedAccommodationOutcome.OUTCOME_3
        )


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
    current_results: list[CurrentResult]
    placements_started: list[Placement]
    placements_ended: list[Placement]


def meeting_preparation(*, provider: Provider, since: date, user, until: date | None = None) -> MeetingPreparation:
    """What the meeting should look at, of what `user` may see: QA visits and their overall judgement,
    concerns received, Ofsted inspections (and whether the judgement changed), placements started and
    ended, all from `since` to `until` (today by default), and every recommendation still open; and the
    Ofsted result standing for each setting on `until`, however long before `since` it was made (issue
    14: a current Inadequate judgement older than the look-back window was left out), worst first.

    A fixed number of queries, however much has happened."""
    until = until or timezone.localdate()
    visits = list(
        access.visible_to(user, Visit.objects.filter(provider=provider))
        .annotate(visited_on=Coalesce("visit_date", "planned_date"))
        .filter(visited_on__gte=since, visited_on__lte=until)
        .select_related("provider", "setting", "lead_visitor")
        .order_by("visited_on", "pk")
    )
    open_recommendations = list(
        access.visible_to(user, Recommendation.objects.filter(provider=provider))
        .live()
        .select_related("owner", "young_person", "visit", "review_meeting")
        .order_by("due_date", "pk")
    )
    concerns = list(
        access.visible_to(
            user, Concern.objects.filter(provider=provider, received_on__gte=since, received_on__lte=until)
        )
        .select_related("setting")
        .order_by("received_on", "pk")
    )
    # All of them, oldest first, to find the judgement each one in the period replaced.
    history = list(
        access.visible_to(user, OfstedInspection.objects.filter(provider=provider))
        .select_related("setting")
        .order_by("inspection_date", "pk")
    )
    latest: dict[tuple, str] = {}
    standing: dict[tuple, OfstedInspection] = {}
    inspections = []
    for inspection in history:
        key = (inspection.scale, inspection.setting_id if inspection.scale == InspectionScale.FOUR_POINT else None)
        if since <= inspection.inspection_date <= until:
            inspections.append(InspectionChange(inspection, latest.get(key)))
        if inspection.is_full:
            latest[key] = inspection.result_label
            if inspection.inspection_date <= until:
                standing[key] = inspection
    current_results = sorted(
        (CurrentResult(inspection, inspection.inspection_date < since) for inspection in standing.values()),
        key=lambda result: (not result.is_worst, result.inspection.setting.name if result.inspection.setting else ""),
    )
    placements = list(
        access.visible_to(user, Placement.objects.filter(provider=provider))
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
        current_results=current_results,
        placements_started=[p for p in placements if since <= p.start_date <= until],
        placements_ended=sorted(
            (p for p in placements if p.end_date and since <= p.end_date <= until), key=lambda p: (p.end_date, p.pk)
        ),
    )


def young_people_placed(meeting: ReviewMeeting, *, user, today: date | None = None):
    """The young people the meeting discusses, as a queryset: placed with the provider on the day
    it was held, or (before then) at any time between its due date and today; and anyone with an
    outcome recorded at it. None at all for a `user` who may not see young people."""
    today = today or timezone.localdate()
    if meeting.held_on:
        first = last = meeting.held_on
    else:
        first, last = sorted([meeting.due_date, today])
    placements = access.visible_to(user, Placement.objects.filter(provider_id=meeting.provider_id)).active_between(
        first, last
    )
    recorded = YoungPersonOutcome.objects.filter(meeting=meeting).values("young_person")
    # Only to those who may see young people (the young-person permission): nobody else's select box
    # or page lists them (providers.access).
    # Ids from subqueries, not a join of the placements: each young person once without DISTINCT,
    # read by their key (a join hashed every young person of the region: issue 15).
    placed = placements.values("young_person")
    return access.visible_to(user, YoungPerson.objects.filter(Q(pk__in=placed) | Q(pk__in=recorded))).order_by(
        "initials", "pk"
    )


def _written(queryset, field: str) -> int:
    return queryset.order_by().aggregate(n=Coalesce(Sum(Length(field)), 0))["n"]


# A row of the agenda's tables takes WeasyPrint as long to lay out as about this many characters of text:
# measured at the regional size (README: Performance), the busiest provider's agenda (668 young people
# placed, 12,193 characters written) took 9 s in the web request, about 13 ms a row, against 0.04 s a
# thousand characters of text.
AGENDA_ROW_CHARACTERS = 300


def agenda_characters(meeting: ReviewMeeting, *, user) -> int:
    """How much the meeting's agenda PDF holds for `user`, in characters, counted in the database (eight
    queries, however much there is): what people wrote (the open recommendations' text, the visits'
    overall summaries and the concerns' summaries of the period looked back over, the notes of the last
    review's ratings), and `AGENDA_ROW_CHARACTERS` for each row of its tables (those, the young people
    placed). What the agenda's layout time grows with (issues 13 and 15): over
    settings.PDF_CHARACTERS_IN_REQUEST the agenda is made by the worker."""
    since, _ = since_last_review(meeting)
    until = meeting.held_on or timezone.localdate()
    provider = meeting.provider_id
    recommendations = access.visible_to(user, Recommendation.objects.filter(provider_id=provider)).live()
    visits = (
        access.visible_to(user, Visit.objects.filter(provider_id=provider))
        .annotate(visited_on=Coalesce("visit_date", "planned_date"))
        .filter(visited_on__gte=since, visited_on__lte=until)
    )
    concerns = access.visible_to(
        user, Concern.objects.filter(provider_id=provider, received_on__gte=since, received_on__lte=until)
    )
    earlier = ReviewMeeting.objects.held().filter(provider_id=provider).exclude(pk=meeting.pk)
    if meeting.held_at:
        earlier = earlier.filter(held_at__lt=meeting.held_at)
    previous = earlier.order_by("-held_at", "-pk").values("pk")[:1]
    notes = ComplianceCheck.objects.filter(meeting__in=previous)
    rows = (
        recommendations.count()
        + visits.count()
        + concerns.count()
        + young_people_placed(meeting, user=user).order_by().count()
    )
    return (
        _written(recommendations, "text")
        + _written(visits, "overall_summary")
        + _written(concerns, "summary")
        + _written(notes, "notes")
        + AGENDA_ROW_CHARACTERS * rows
    )


def placed_for_meeting(
    meeting: ReviewMeeting, *, user, today: date | None = None, ages_on: date | None = None
) -> list[PlacedYoungPerson]:
    """`young_people_placed`, as initials and age (on the meeting's day, unless `ages_on` says
    otherwise): never names or case-record IDs."""
    on = ages_on or meeting_date(meeting, today)
    cohorts = dict(Cohort.choices)
    # Only the columns shown (the busiest provider has hundreds placed).
    return [
        PlacedYoungPerson(pk, initials, age_on(born, on), cohorts.get(cohort, cohort))
        for pk, initials, born, cohort in young_people_placed(meeting, user=user, today=today).values_list(
            "pk", "initials", "date_of_birth", "cohort"
        )
    ]
