"""Daily reminders, each sent once: nobody should have to remember a date.

Every reminder is a Notification whose (address, kind, key) is unique, so running this
twice, or after a crash, sends nothing twice."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from providers.access import may_see_young_people
from providers.models import InspectionScale, OfstedInspection, Provider
from qa_portal.models import Notification, User
from qa_portal.notify import notify
from qa_portal.reporting.models import FlagTold
from qa_portal.roles import Role
from qa_portal.wording import due_in
from reviews.action_plans import chase_overdue_action_plans, remind_rechecks_due
from reviews.invites import when
from reviews.models import Recommendation, ReviewMeeting
from reviews.responses import remind_decisions
from visits.models import OverallJudgement, Visit, VisitStatus
from visits.to_do import WRITE_UP_DAYS

DIGEST = "recommendations_digest"


@dataclass
class ReminderResult:
    made: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, kind: str, notification) -> None:
        if notification is not None:
            self.made[kind] += 1

    def summary(self) -> dict:
        return dict(self.made)


def recommendation_digests(today: date, result: ReminderResult) -> None:
    """One email per owner listing their recommendations due within 7 days or overdue that
    no earlier digest has told them about."""
    live = (
        Recommendation.objects.live()
        .filter(due_date__lte=today + timedelta(days=7), owner__is_active=True)
        .select_related("owner", "provider", "young_person")
        .order_by("owner_id", "due_date", "pk")
    )
    by_owner: dict[int, list[tuple[str, Recommendation]]] = defaultdict(list)
    for rec in live:
        state = "overdue" if rec.due_date < today else "due"
        by_owner[rec.owner_id].append((f"rec:{rec.pk}:{rec.due_date:%Y-%m-%d}:{state}", rec))
    if not by_owner:
        return
    owners = {rec.owner_id: rec.owner for items in by_owner.values() for _, rec in items}
    told: dict[str, set[str]] = defaultdict(set)
    for email, items in Notification.objects.filter(
        kind=DIGEST, email__in=[o.email for o in owners.values()]
    ).values_list("email", "items"):
        told[email].update(items)
    for owner_id, items in by_owner.items():
        owner = owners[owner_id]
        new = [(key, rec) for key, rec in items if key not in told[owner.email]]
        if not new:
            continue
        overdue = [rec for key, rec in new if key.endswith(":overdue")]
        due_soon = [rec for key, rec in new if key.endswith(":due")]
        notification = notify(
            to=owner,
            kind=DIGEST,
            key=f"{today:%Y-%m-%d}",
            subject=f"Recommendations: {len(overdue)} overdue, {len(due_soon)} due within 7 days",
            template="emails/recommendations_digest",
            context={
                "overdue": overdue,
                "due_soon": due_soon,
                "today": today,
                "young_people_shown": may_see_young_people(owner),
            },
            link="/my-actions/",
        )
        if notification is not None:
            Notification.objects.filter(pk=notification.pk).update(items=[key for key, _ in new])
        result.add(DIGEST, notification)


def overdue_provider_responses(today: date, result: ReminderResult) -> None:
    """A shared report whose response is past due: the provider's contacts and users, and the lead visitor."""
    visits = (
        Visit.objects.filter(status=VisitStatus.SHARED, response_due__lt=today)
        .select_related("provider", "lead_visitor")
        .prefetch_related("provider__contacts")
    )
    provider_users = defaultdict(list)
    for user in User.objects.active_with_role(Role.PROVIDER_USER).filter(provider__in=[v.provider_id for v in visits]):
        provider_users[user.provider_id].append(user)
    for visit in visits:
        recipients = [
            *[c.email for c in visit.provider.contacts.all() if c.receives_reports and c.email],
            *provider_users[visit.provider_id],
            visit.lead_visitor,
        ]
        for recipient in recipients:
            result.add(
                "response_overdue",
                notify(
                    to=recipient,
                    kind="response_overdue",
                    key=f"visit:{visit.pk}:{visit.response_due:%Y-%m-%d}",
                    subject=f"Response overdue: visit report on {visit.provider}",
                    template="emails/response_overdue",
                    context={"visit": visit},
                    about=visit,
                    link=visit.get_absolute_url(),
                ),
            )


def drafts_left_too_long(today: date, result: ReminderResult) -> None:
    """Visits still in draft WRITE_UP_DAYS (10) days after the visit: the day the home page shows the
    write-up due (visits.to_do)."""
    for visit in Visit.objects.filter(
        status=VisitStatus.DRAFT, visit_date__lte=today - timedelta(days=WRITE_UP_DAYS)
    ).select_related("provider", "lead_visitor"):
        result.add(
            "visit_draft",
            notify(
                to=visit.lead_visitor,
                kind="visit_draft",
                key=f"visit:{visit.pk}:{visit.visit_date:%Y-%m-%d}",
                subject=f"Visit to {visit.provider} still in draft",
                template="emails/visit_draft",
                context={"visit": visit, "days": (today - visit.visit_date).days},
                about=visit,
                link=visit.get_absolute_url(),
            ),
        )


def meetings_coming_up(today: date, result: ReminderResult) -> None:
    """Open review meetings 14 days and 2 days ahead (once each), to their commissioning officers: a
    booked meeting by the day it is booked for, one not yet booked by its due date (asking for it to be
    booked). No calendar invite: those go to everyone invited when it is booked or changed
    (reviews.invites), and a cancelled or held meeting is not reminded of."""
    window = (today, today + timedelta(days=14))
    meetings = ReviewMeeting.objects.open().filter(
        Q(starts_at__isnull=True, due_date__range=window) | Q(starts_at__date__range=window)
    )
    meetings = meetings.select_related("provider", "provider__commissioning_officer")
    for meeting in meetings:
        days = (meeting.day - today).days
        window = "2" if days <= 2 else "14"
        provider = meeting.provider
        subject = (
            f"Review meeting with {provider} {due_in(days)}: {when(meeting)}"
            if meeting.is_booked
            else f"Review meeting with {provider} due {due_in(days)}, not booked yet"
        )
        for officer in provider.commissioning_officers():
            result.add(
                "review_coming_up",
                notify(
                    to=officer,
                    kind="review_coming_up",
                    key=f"meeting:{meeting.pk}:{meeting.day:%Y-%m-%d}:{window}",
                    subject=subject,
                    template="emails/review_coming_up",
                    context={"meeting": meeting, "days": days, "when": when(meeting)},
                    about=meeting,
                    link=meeting.get_absolute_url(),
                ),
            )


def _not_yet_told(records):
    """`records` (inspections or visits) that are no told flag yet (FlagTold)."""
    told = FlagTold.objects.filter(
        provider=OuterRef("provider"),
        source_type=ContentType.objects.get_for_model(records.model),
        source_id=OuterRef("pk"),
    )
    return records.exclude(Exists(told))


def _tell_qa_leads(qa_leads, source, result: ReminderResult, **message) -> None:
    """Tell each QA lead of the flag whose source record is `source`, then record it as told."""
    for lead in qa_leads:
        result.add("provider_flagged", notify(to=lead, kind="provider_flagged", **message))
    FlagTold.objects.get_or_create(
        provider_id=source.provider_id, source_type=ContentType.objects.get_for_model(source), source_id=source.pk
    )


def providers_to_flag(today: date, result: ReminderResult) -> None:
    """A provider whose current Ofsted result is the worst on its scale (Inadequate, or supported
    accommodation outcome 3: Provider.needs_qa_lead_attention), or whose latest visit said "no" to
    "good enough for my own child?": the QA leads are told (action plan; consider a placement stop),
    once for each such inspection or visit, when it arises (FlagTold), not at every run for every
    provider ever flagged. A visit that said "no" and has been followed by another is no longer one."""
    qa_leads = list(User.objects.active_with_role(Role.QA_LEAD))
    if not qa_leads:  # nobody to tell yet: told when there is
        return
    behind = OfstedInspection.objects.behind_a_worst_current_result().filter(
        provider__in=Provider.objects.needing_qa_lead_attention()
    )
    # Those told are left out of the latest, not before it is chosen (it picks one per provider and scale).
    worst = _not_yet_told(OfstedInspection.objects.filter(pk__in=behind.values("pk"))).select_related(
        "provider", "setting"
    )
    latest_visit = (
        Visit.objects.submitted()
        .filter(provider=OuterRef("provider"))
        .order_by(F("visit_date").desc(nulls_last=True), "-planned_date", "-pk")
        .values("pk")[:1]
    )
    no_visits = _not_yet_told(
        Visit.objects.submitted().filter(overall_judgement=OverallJudgement.NO, pk=Subquery(latest_visit))
    ).select_related("provider")
    for inspection in worst:
        result_label = (
            "Inadequate Ofsted judgement"
            if inspection.scale == InspectionScale.FOUR_POINT
            else "Ofsted supported accommodation outcome 3"
        )
        _tell_qa_leads(
            qa_leads,
            inspection,
            result,
            key=f"inspection:{inspection.pk}",
            subject=f"{result_label}: {inspection.provider}",
            template="emails/provider_flagged",
            context={"provider": inspection.provider, "inspection": inspection},
            about=inspection.provider,
            link=inspection.provider.get_absolute_url(),
        )
    for visit in no_visits:
        _tell_qa_leads(
            qa_leads,
            visit,
            result,
            key=f"visit:{visit.pk}:no",
            subject=f"Not good enough for our own child: {visit.provider}",
            template="emails/provider_flagged",
            context={"provider": visit.provider, "visit": visit},
            about=visit.provider,
            link=visit.get_absolute_url(),
        )


def action_plans(today: date, result: ReminderResult) -> None:
    """Providers' action plans (issue 16): each plan not submitted by its due date chased once (never
    every day), and each accepted plan whose re-check date has come, to the council, once."""
    for kind, told in (
        ("action_plan_chased", chase_overdue_action_plans(today)),
        ("action_plan_recheck_due", remind_rechecks_due(today)),
    ):
        if told:
            result.made[kind] += told


def safe_to_remain_decisions(today: date, result: ReminderResult) -> None:
    """The response to an Inadequate judgement (issue 16): "safe to remain?" decisions due soon reminded
    to the social worker, overdue ones escalated to the QA lead, each once. The hourly job does this
    within the day; here it also runs with the daily reminders, should beat have missed an hour."""
    for kind, told in remind_decisions().items():
        if told:
            result.made[kind] += told


def send_reminders(*, today: date | None = None) -> ReminderResult:
    today = today or timezone.localdate()
    result = ReminderResult()
    for step in (
        recommendation_digests,
        overdue_provider_responses,
        drafts_left_too_long,
        meetings_coming_up,
        providers_to_flag,
        action_plans,
        safe_to_remain_decisions,
    ):
        step(today, result)
    return result
