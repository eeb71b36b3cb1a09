"""What a person has to do next about review meetings and recommendations, for their home page
(qa_portal.to_do): meetings to book, to prepare for and to record, visit reports to read before the
meeting, and the recommendations they hold, or, for a provider user, their organisation is asked to
act on.

Each selector runs a fixed number of queries whatever the number of records, and lists at most
qa_portal.to_do.MOST of each kind: the home page's figures count them all."""

from datetime import UTC, date, datetime, timedelta

from django.db.models import Case, Count, F, Min, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from providers.access import may_see_young_people
from providers.models import OfstedInspection
from qa_portal import access
from qa_portal.roles import Role
from qa_portal.to_do import MOST, ToDo, due, on, since, stays_key
from reviews.access import may_review_action_plan
from reviews.case_record_notes import case_record_notes_to_do
from reviews.models import (
    WITH_PROVIDER,
    ActionPlan,
    ActionPlanStatus,
    InadequateResponse,
    Recommendation,
    ReviewMeeting,
    SafeToRemainDecision,
)
from visits.models import Visit, VisitEvent

# A meeting is to be booked once it falls due within this many days (or is overdue).
BOOK_WITHIN_DAYS = 42
# A booked meeting is listed to prepare for this many days ahead.
PREPARE_WITHIN_DAYS = 14
# Recommendations due within this many days (or overdue) are listed; the rest wait in the tracker.
RECOMMENDATIONS_WITHIN_DAYS = 31


def _short(text: str) -> str:
    return Truncator(" ".join(text.split())).chars(90)


def _theirs(user):
    """Open meetings with the providers `user` looks after as commissioning officer: their own, and
    those with no (active) commissioning officer, whom every officer is told about (Provider.commissioning_officers)."""
    return (
        access.visible_to(user, ReviewMeeting)
        .open()
        .filter(
            Q(provider__commissioning_officer=user)
            | Q(provider__commissioning_officer__isnull=True)
            | Q(provider__commissioning_officer__is_active=False)
        )
        .select_related("provider")
    )


# Before any event: "since the last meeting held" when none has been.
EVER = datetime(1, 1, 1, tzinfo=UTC)

# The kinds of meeting to do, in the order their items are gathered.
BOOK, RECORD, PREPARE = "book", "record", "prepare"


def _meetings_to_do(user, today: date) -> list[ToDo]:
    """Meetings to book (due within BOOK_WITHIN_DAYS or overdue, soonest due first), to record (booked
    for a time past) and to prepare for (booked within PREPARE_WITHIN_DAYS), each the first MOST by
    their booked time: one query, each kind numbered in its own order by a window (issue 15: it was a
    query a kind)."""
    now = timezone.now()
    book = Q(starts_at__isnull=True, due_date__lte=today + timedelta(days=BOOK_WITHIN_DAYS))
    record = Q(starts_at__lt=now)
    prepare = Q(starts_at__gte=now, starts_at__lt=now + timedelta(days=PREPARE_WITHIN_DAYS + 1))
    kind = Case(
        When(book, then=Value(BOOK)),
        When(record, then=Value(RECORD)),
        When(prepare, then=Value(PREPARE)),
        default=Value(""),
    )
    # Meetings to book by their due date, the others (all booked) by their time; then by id.
    by_due_date = Case(When(starts_at__isnull=True, then=F("due_date")))
    meetings = (
        _theirs(user)
        .filter(book | record | prepare)
        .annotate(kind=kind)
        .annotate(
            number_in_kind=Window(
                RowNumber(),
                partition_by=[F("kind")],
                order_by=[by_due_date.asc(), F("starts_at").asc(), F("pk").asc()],
            )
        )
        .filter(number_in_kind__lte=MOST)
    )
    ordered = sorted(meetings, key=lambda m: ((BOOK, RECORD, PREPARE).index(m.kind), m.number_in_kind))
    items = []
    for meeting in ordered:
        if meeting.kind == BOOK:
            label, overdue = due(meeting.due_date, today)
            items.append(
                ToDo(
                    f"Book the review meeting with {meeting.provider.name}",
                    reverse("reviews:meeting_book", args=[meeting.pk]),
                    meeting.due_date,
                    label,
                    "Review meeting",
                    overdue,
                )
            )
        elif meeting.kind == RECORD:
            items.append(
                ToDo(
                    f"Record the review meeting with {meeting.provider.name}",
                    reverse("reviews:meeting_record", args=[meeting.pk]),
                    meeting.day,
                    since(meeting.day, "Booked for"),
                    "Review meeting",
                )
            )
        else:
            at = f"{timezone.localtime(meeting.starts_at):%H:%M}"
            items.append(
                ToDo(
                    f"Prepare for the review meeting with {meeting.provider.name} at {at}",
                    reverse("reviews:meeting_prepare", args=[meeting.pk]),
                    meeting.day,
                    on(meeting.day, today),
                    "Review meeting",
                )
            )
    return items


def _reports_to_read(user, today: date) -> list[ToDo]:
    """Visit reports shared with commissioning since the provider's last review, for the officer to
    read before its next meeting (due within BOOK_WITHIN_DAYS, or booked)."""
    meetings = _theirs(user).filter(
        Q(due_date__lte=today + timedelta(days=BOOK_WITHIN_DAYS)) | Q(starts_at__isnull=False)
    )
    last_held = (
        ReviewMeeting.objects.held().filter(provider=OuterRef("visit__provider")).order_by("-held_at").values("held_at")
    )
    # Since the last meeting held, or ever: the last meeting is looked up once an event, not twice (as
    # "none held, or after it" did), and only the columns shown are read (issue 15).
    shared = (
        VisitEvent.objects.filter(
            step=VisitEvent.Step.COMMISSIONING,
            visit__provider__in=meetings.values("provider"),
            visit__in=access.visible_to(user, Visit),
        )
        .filter(at__gt=Coalesce(Subquery(last_held[:1]), Value(EVER)))
        .select_related("visit__provider")
        .only("at", "visit__provider__name")
        .order_by("at", "pk")
    )
    items = []
    for event in shared[:MOST]:
        day = timezone.localtime(event.at).date()
        items.append(
            ToDo(
                f"Read the report of the visit to {event.visit.provider.name} before the next review meeting",
                event.visit.get_absolute_url(),
                day,
                since(day, "Shared with commissioning"),
                "Visit report",
            )
        )
    return items


def _recommendations_to_do(user, today: date) -> list[ToDo]:
    """The live recommendations flagged to a member of staff (theirs, or for a child they are social
    worker for) due within RECOMMENDATIONS_WITHIN_DAYS or overdue."""
    recommendations = (
        access.visible_to(user, Recommendation)
        .live()
        .filter(due_date__lte=today + timedelta(days=RECOMMENDATIONS_WITHIN_DAYS))
        .flagged_to(user)  # after the filters, which it applies in each of its branches
        .select_related("provider")
        .order_by("due_date", "pk")[:MOST]
    )
    items = []
    for rec in recommendations:
        label, overdue = due(rec.due_date, today)
        about = f" for {rec.provider.name}" if rec.provider_id else ""
        items.append(
            ToDo(
                f"Recommendation {rec.pk}{about}: {_short(rec.text)}",
                reverse("reviews:recommendation_detail", args=[rec.pk]),
                rec.due_date,
                label,
                "Recommendation",
                overdue,
            )
        )
    return items


def _overdue_to_chase(user, today: date) -> list[ToDo]:
    """The QA lead's, who owns the tracker: every overdue recommendation, to chase at the monthly
    tracking meeting (DOMAIN.md: overdue ones are chased), as one item. One query."""
    found = access.visible_to(user, Recommendation).overdue(today).aggregate(count=Count("pk"), since=Min("due_date"))
    if not found["count"]:
        return []
    count = found["count"]
    return [
        ToDo(
            f"Chase the {count} overdue recommendation{'s' if count != 1 else ''} at the monthly tracking meeting",
            reverse("reviews:tracker") + "?overdue=1",
            found["since"],
            since(found["since"], "Oldest due"),
            "Tracker",
            True,
        )
    ]


def _provider_recommendations_to_do(user, today: date) -> list[ToDo]:
    """A provider user's: their organisation's live recommendations, each to answer (what they will
    do, by when) or to keep up to date."""
    recommendations = access.visible_to(user, Recommendation).live().order_by("due_date", "pk")[:MOST]
    items = []
    for rec in recommendations:
        label, overdue = due(rec.due_date, today)
        verb = "Update your action on" if rec.provider_responded_at else "Say what you will do about"
        items.append(
            ToDo(
                f"{verb} recommendation {rec.pk}: {_short(rec.text)}",
                reverse("reviews:provider_recommendation_update", args=[rec.pk]),
                rec.due_date,
                label,
                "Recommendation",
                overdue,
            )
        )
    return items


def _provider_action_plans_to_do(user, today: date) -> list[ToDo]:
    """A provider user's: their organisation's action plans to write, or revise after a return, by
    their due date. One query."""
    plans = access.visible_to(user, ActionPlan).filter(status__in=WITH_PROVIDER).order_by("due_date", "pk")[:MOST]
    items = []
    for plan in plans:
        label, overdue = due(plan.due_date, today)
        verb = "Revise and submit again" if plan.status == ActionPlanStatus.RETURNED else "Write and submit"
        items.append(
            ToDo(
                f"{verb} your action plan ({plan.source_in_words})",
                plan.get_absolute_url(),
                plan.due_date,
                label,
                "Action plan",
                overdue,
            )
        )
    return items


def _action_plans_to_review(user, today: date) -> list[ToDo]:
    """The QA lead's and commissioning officers': plans submitted for them to accept or return, plans
    overdue (not submitted by their due date), and plans whose re-check date has come. Three queries."""
    plans = access.visible_to(user, ActionPlan).select_related("provider")
    items = []
    for plan in plans.awaiting_review().order_by("submitted_at", "pk")[:MOST]:
        day = timezone.localtime(plan.submitted_at).date()
        items.append(
            ToDo(
                f"Accept or return the action plan of {plan.provider.name}",
                plan.get_absolute_url(),
                day,
                since(day, "Submitted"),
                "Action plan",
            )
        )
    for plan in plans.overdue(today).order_by("due_date", "pk")[:MOST]:
        items.append(
            ToDo(
                f"Action plan of {plan.provider.name} not submitted",
                plan.get_absolute_url(),
                plan.due_date,
                f"Due {plan.due_date:%-d %B %Y}",
                "Action plan",
                True,
            )
        )
    for plan in plans.recheck_due(today).order_by("recheck_date", "pk")[:MOST]:
        items.append(
            ToDo(
                f"Re-check the action plan of {plan.provider.name}",
                reverse("reviews:action_plan_recheck", args=[plan.pk]),
                plan.recheck_date,
                f"Re-check due {plan.recheck_date:%-d %B %Y}",
                "Action plan",
                plan.recheck_date < today,
            )
        )
    return items


def _responses_to_do(user, today: date) -> list[ToDo]:
    """The response to an Inadequate judgement (issue 16). For the QA lead and the provider's
    commissioning officer: the same-day visit still to plan. For whoever may record the decisions
    (their social worker, the QA lead, commissioning officers): each "safe to remain?" decision not yet
    recorded (a social worker sees their own children's only). Two queries."""
    items = []
    open_responses = access.visible_to(user, InadequateResponse).open().select_related("provider", "setting")
    if user.has_role(Role.QA_LEAD) or user.has_role(Role.COMMISSIONING_OFFICER):
        waiting = open_responses.filter(visit__isnull=True)
        if not user.has_role(Role.QA_LEAD):
            waiting = waiting.filter(
                Q(provider__commissioning_officer=user)
                | Q(provider__commissioning_officer__isnull=True)
                | Q(provider__commissioning_officer__is_active=False)
            )
        for response in waiting.order_by("visit_due_on", "pk")[:MOST]:
            label, overdue = due(response.visit_due_on, today)
            items.append(
                ToDo(
                    f"Plan the same-day visit to {response.where} (Inadequate judgement)",
                    response.get_absolute_url(),
                    response.visit_due_on,
                    label,
                    "Inadequate judgement",
                    overdue,
                )
            )
    if user.has_perm("reviews.record_safetoremaindecision") and may_see_young_people(user):
        decisions = SafeToRemainDecision.objects.pending().filter(response__in=open_responses)
        if not (user.has_role(Role.QA_LEAD) or user.has_role(Role.COMMISSIONING_OFFICER)):
            decisions = decisions.filter(Q(social_worker=user) | Q(young_person__social_worker=user))
        now = timezone.now()
        for decision in decisions.select_related("young_person", "response__provider", "response__setting").order_by(
            "due_at", "pk"
        )[:MOST]:
            at = timezone.localtime(decision.due_at)
            items.append(
                ToDo(
                    f"Decide whether {decision.young_person.initials} is safe to remain at {decision.response.where}",
                    decision.get_absolute_url(),
                    at.date(),
                    f"Due {at:%H:%M on %-d %B %Y}",
                    "Safe to remain",
                    decision.due_at < now,
                    young_person_id=decision.young_person_id,
                    about=stays_key(decision.young_person_id, decision.response.provider_id),
                )
            )
    return items


def children_asked_about(user) -> set[str]:
    """The `about` keys (qa_portal.to_do.stays_key) of `user`'s children whom a response already asks
    about, recorded or not: its decision is the one to-do for them, so the register's older "decide
    whether they stay" (providers.to_do) is left out. A response still open, or one to the provider's
    current worst Ofsted result. One query."""
    current = OfstedInspection.objects.behind_a_worst_current_result().values("pk")
    rows = (
        SafeToRemainDecision.objects.filter(Q(social_worker=user) | Q(young_person__social_worker=user))
        .filter(Q(response__closed_at__isnull=True) | Q(response__inspection__in=current))
        .values_list("young_person_id", "response__provider_id")
    )
    return {stays_key(young_person, provider) for young_person, provider in rows}


def review_to_do(user, today: date) -> list[ToDo]:
    """Everything about review meetings and recommendations `user` has to do next, unordered
    (qa_portal.to_do.in_order orders them): for a provider user, their organisation's
    recommendations; for staff, the recommendations flagged to them (and for the QA lead, every
    overdue one to chase); for those who run review meetings (reviews.change_reviewmeeting), the
    meetings to book, prepare for and record, the visit reports to read before them, and the meetings'
    case-record notes to record; and providers' action plans: for a provider user, those to write;
    for those who review them, those to accept or return, overdue, or due a re-check.
    The union of `review_to_do_by_day` and `review_to_do_by_time`."""
    return review_to_do_by_day(user, today) + review_to_do_by_time(user, today)


def review_to_do_by_day(user, today: date) -> list[ToDo]:
    """The part of `review_to_do` that depends on the data and today's date alone, not the time of day
    (the home page keeps it while the data it read is unchanged: qa_portal.table_versions)."""
    if user.is_provider_user:
        return _provider_recommendations_to_do(user, today) + _provider_action_plans_to_do(user, today)
    items = []
    if may_review_action_plan(user):
        items += _action_plans_to_review(user, today)
    if user.has_perm("reviews.view_recommendation"):
        items += _recommendations_to_do(user, today)
    if user.has_role(Role.QA_LEAD):
        items += _overdue_to_chase(user, today)
    if user.has_perm("reviews.change_reviewmeeting"):
        items += _reports_to_read(user, today)
    items += case_record_notes_to_do(user)
    return items


def review_to_do_by_time_changes(user, now: datetime) -> datetime | None:
    """The first moment after `now` from which `review_to_do_by_time(user, …)` may list other things
    with the data unchanged, or None if none: a meeting of theirs starting (from "prepare" to "record"),
    one coming within PREPARE_WITHIN_DAYS + 1 days of the moment (listed to prepare), a safe-to-remain
    decision falling due (shown overdue). At most two queries; for keeping its result (the home page)."""
    if user.is_provider_user:
        return None
    moments = []
    if user.has_perm("reviews.change_reviewmeeting"):
        window = timedelta(days=PREPARE_WITHIN_DAYS + 1)
        found = (
            _theirs(user)
            .filter(starts_at__gt=now)
            .aggregate(starts=Min("starts_at"), comes=Min("starts_at", filter=Q(starts_at__gte=now + window)))
        )
        moments += [found["starts"], found["comes"] and found["comes"] - window]
    if user.has_perm("reviews.view_inadequateresponse"):
        moments.append(
            SafeToRemainDecision.objects.pending().filter(due_at__gt=now).aggregate(due=Min("due_at"))["due"]
        )
    moments = [moment for moment in moments if moment is not None]
    return min(moments) if moments else None


def review_to_do_by_time(user, today: date) -> list[ToDo]:
    """The part of `review_to_do` that depends on the time of day as well: responses to Inadequate
    judgements (a decision due at a time) and meetings to book, prepare for and record (one booked for
    a time past is to record)."""
    if user.is_provider_user:
        return []
    items = []
    if user.has_perm("reviews.view_inadequateresponse"):
        items += _responses_to_do(user, today)
    if user.has_perm("reviews.change_reviewmeeting"):
        items += _meetings_to_do(user, today)
    return items
