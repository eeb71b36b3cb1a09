"""The response to an Inadequate judgement (issue 16; Coventry's practice, DOMAIN.md): opening it,
taking the planned visit as its visit, recording each child's "safe to remain?" decision, reminders
and the escalation, and closing it.

Opening: recording an Inadequate judgement (or supported accommodation outcome 3) by hand or by import
tells `inspections_recorded` (providers.inspection_changes, in the same transaction). A judgement that
is its setting's (or provider's) current full inspection result and was inspected within `NEWS_DAYS`
opens one response, once per inspection: importing the same file again finds it and opens nothing.
An older judgement (a first import of the register, say) is history, not news: the QA lead's home page
already lists every current worst result to decide on (providers.to_do).

At once, in the portal and by email, each once: the QA lead and the provider's commissioning officer
(a visit to plan for the same working day), and each child's allocated social worker (a decision due
`DECISION_HOURS` after the judgement was recorded). The provider is asked for its improvement plan
through reviews.action_plans. The response closes when every decision is recorded and the plan is
accepted."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from providers.access import may_see_young_people
from providers.models import (
    InspectionScale,
    Judgement,
    OfstedInspection,
    Placement,
    SupportedAccommodationOutcome,
)
from qa_portal.models import User
from qa_portal.notify import notify, notify_each
from qa_portal.roles import Role
from qa_portal.working_days import working_day_on_or_after
from reviews.action_plans import request_action_plan
from reviews.models import (
    DECISION_HOURS,
    ActionPlan,
    ActionPlanEvent,
    ActionPlanSource,
    ActionPlanStatus,
    InadequateResponse,
    SafeToRemainDecision,
)
from visits.models import VisitStatus

PlanStep = ActionPlanEvent.Step

# A judgement inspected longer ago than this is not news: no response is opened for it.
NEWS_DAYS = 183
NOT_YOURS = "Only the young person's social worker, the QA lead or a commissioning officer records this."
# The social worker is reminded this many hours before the decision is due.
REMIND_HOURS_BEFORE = 4


def is_worst(inspection: OfstedInspection) -> bool:
    """A full inspection judged Inadequate, or a supported accommodation outcome 3."""
    return inspection.is_full and (
        (inspection.scale == InspectionScale.FOUR_POINT and inspection.judgement == Judgement.INADEQUATE)
        or (
            inspection.scale == InspectionScale.SUPPORTED_ACCOMMODATION
            and inspection.sa_outcome == SupportedAccommodationOutcome.OUTCOME_3
        )
    )


def opens_a_response(inspection: OfstedInspection, today: date) -> bool:
    """Whether recording `inspection` opens a response: the worst result on its scale, from a full
    inspection within NEWS_DAYS of `today`, not replaced by a later full inspection of the same setting
    (or provider, for a provider-level judgement)."""
    if not is_worst(inspection) or inspection.inspection_date < today - timedelta(days=NEWS_DAYS):
        return False
    later = OfstedInspection.objects.deciding().filter(
        provider_id=inspection.provider_id,
        setting_id=inspection.setting_id,
        scale=inspection.scale,
        inspection_date__gt=inspection.inspection_date,
    )
    return not later.exists()


def inspections_recorded(inspections: list[OfstedInspection], by=None) -> None:
    """The listener of providers.inspection_changes: open a response for each inspection that calls
    for one (`opens_a_response`), in the transaction that recorded it."""
    today = timezone.localdate()
    for inspection in inspections:
        if opens_a_response(inspection, today):
            inadequate_response_open(inspection=inspection, by=by)


def placements_covered(inspection: OfstedInspection, on: date):
    """The placements a response asks about: those active on `on` at the setting judged, and those
    with the provider whose setting is not recorded (they may live there: a child missed is worse than
    a question too many); every placement with the provider for a provider-level judgement."""
    placements = Placement.objects.active_on(on).filter(provider_id=inspection.provider_id)
    if inspection.setting_id:
        placements = placements.filter(Q(setting_id=inspection.setting_id) | Q(setting__isnull=True))
    return placements.select_related("young_person__social_worker").order_by("young_person__initials", "pk")


def _asker(provider, by):
    """Who asks the provider for its plan: whoever recorded the judgement, else the provider's
    commissioning officer, else the first active QA lead (the command-line import has no user)."""
    if by is not None and not by.is_provider_user:
        return by
    officers = provider.commissioning_officers()
    if officers:
        return officers[0]
    return User.objects.active_with_role(Role.QA_LEAD).order_by("pk").first()


@transaction.atomic
def inadequate_response_open(*, inspection: OfstedInspection, by=None, now: datetime | None = None):
    """Open the response to `inspection` (judged Inadequate or outcome 3), recorded by `by` at `now`:
    the visit due the same working day, a decision for each young person placed (`placements_covered`)
    due DECISION_HOURS later, the provider's improvement plan requested (reviews.action_plans), and the
    QA lead, the commissioning officer and each social worker told at once, each once. Returns the
    response; the one already open for this inspection if there is one (nothing is done twice)."""
    existing = InadequateResponse.objects.filter(inspection=inspection).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    today = timezone.localdate(now)
    provider = inspection.provider
    try:
        with transaction.atomic():
            response = InadequateResponse.objects.create(
                provider=provider,
                inspection=inspection,
                setting=inspection.setting,
                opened_at=now,
                opened_by=by if by is not None and not by.is_provider_user else None,
                visit_due_on=working_day_on_or_after(today),
            )
    except IntegrityError:  # opened at the same moment by another import of the same judgement
        return InadequateResponse.objects.get(inspection=inspection)
    due = now + timedelta(hours=DECISION_HOURS)
    seen = set()
    for placement in placements_covered(inspection, today):
        if placement.young_person_id in seen:
            continue
        seen.add(placement.young_person_id)
        SafeToRemainDecision.objects.create(
            response=response,
            young_person=placement.young_person,
            placement=placement,
            social_worker=placement.young_person.social_worker,
            due_at=due,
            updated_at=now,
        )
    asker = _asker(provider, by)
    if asker is not None:
        response.action_plan = request_action_plan(
            provider=provider, source=ActionPlanSource.INADEQUATE, record=inspection, by=asker
        )
        response.save(update_fields=["action_plan"])
    tell_response_opened(response)
    for decision in response.decisions.select_related("social_worker", "young_person"):
        tell_social_worker_asked(decision)
    return response


def visit_planned(visit, by) -> None:
    """The listener of visits.planning: a visit planned to a provider with an open response still
    waiting for its visit is that response's visit (its setting, or the provider as a whole)."""
    waiting = InadequateResponse.objects.open().filter(provider_id=visit.provider_id, visit__isnull=True)
    if visit.setting_id:
        waiting = waiting.filter(Q(setting__isnull=True) | Q(setting_id=visit.setting_id))
    waiting.update(visit=visit, visit_planned_at=timezone.now())


def plan_the_visit_url(response: InadequateResponse) -> str:
    """The visit planning page, filled in for the same-day visit: the provider, the setting, the day
    and the reason ticked."""
    query = f"provider={response.provider_id}&planned_date={response.visit_due_on:%Y-%m-%d}&reasons=inadequate"
    if response.setting_id:
        query += f"&setting={response.setting_id}"
    return f"{reverse('visits:visit_plan')}?{query}"


# Recording a decision --------------------------------------------------------------------------------


def may_record(user, decision: SafeToRemainDecision) -> bool:
    """May record the decision: the child's allocated social worker (as asked), the QA lead and
    commissioning officers (reviews.record_safetoremaindecision with the young people in sight)."""
    if user.is_provider_user or not user.has_perm("reviews.record_safetoremaindecision"):
        return False
    if not may_see_young_people(user):
        return False
    if user.has_role(Role.QA_LEAD) or user.has_role(Role.COMMISSIONING_OFFICER):
        return True
    return decision.social_worker_id == user.pk or decision.young_person.social_worker_id == user.pk


class DecisionChangedMeanwhile(Exception):
    """Someone saved this decision after the page was loaded. `decision` is it as saved now."""

    def __init__(self, decision: SafeToRemainDecision):
        saver = decision.last_saved_by
        by = saver.full_name if saver else "Someone else"
        at = timezone.localtime(decision.updated_at)
        super().__init__(
            f"{by} recorded a decision for {decision.young_person.initials} at {at:%H:%M} on {at:%-d %B} since "
            "you opened this page. Your answer is still below and theirs is shown above it. Check both, then "
            "save again."
        )
        self.decision = decision


@transaction.atomic
def safe_to_remain_record(
    *, decision: SafeToRemainDecision, by, loaded_at, answer: str, safeguards: str = "", move_by=None, other: str = ""
) -> SafeToRemainDecision:
    """Record whether the young person is safe to remain: `answer` (SafeToRemain) with its detail (the
    safeguards, the date to move by, or what else was decided). Saved only if nobody saved the decision
    since `loaded_at` (the `updated_at` the page showed): otherwise DecisionChangedMeanwhile with the
    decision as saved now. The first recording sets `recorded_at` and `recorded_by` (the time to
    decision counts to it); a later change keeps them and sets `changed_at` and `changed_by`. Closes the
    response when it was the last thing left. Raises PermissionDenied for someone who may not record
    it, ValidationError as the model does."""
    if not may_record(by, decision):
        raise PermissionDenied(
            "Only the young person's social worker, the QA lead or a commissioning officer records this."
        )
    now = timezone.now()
    if not SafeToRemainDecision.objects.filter(pk=decision.pk, updated_at=loaded_at).update(updated_at=now):
        raise DecisionChangedMeanwhile(
            SafeToRemainDecision.objects.select_related("recorded_by", "changed_by", "young_person").get(pk=decision.pk)
        )
    decision.decision = answer
    decision.safeguards = (safeguards or "").strip()
    decision.move_by = move_by
    decision.other = (other or "").strip()
    if decision.recorded_at is None:
        decision.recorded_at, decision.recorded_by = now, by
    else:  # a change: the first recording keeps its author and time
        decision.changed_at, decision.changed_by = now, by
    decision.updated_at = now
    decision.full_clean()
    decision.save()
    close_when_done(decision.response)
    return decision


def close_when_done(response: InadequateResponse) -> bool:
    """Close `response` if every decision is recorded and the provider's plan is accepted (or already
    re-checked). Returns whether it closed now. A conditional update: two closings, one close."""
    if response.closed_at is not None:
        return False
    if response.decisions.filter(decision="").exists():
        return False
    plan = plan_of(response)
    if plan is None:
        return False
    plan.refresh_from_db(fields=["status"])
    if plan.status not in (ActionPlanStatus.ACCEPTED, ActionPlanStatus.RECHECKED):
        return False
    now = timezone.now()
    closed = InadequateResponse.objects.filter(pk=response.pk, closed_at__isnull=True).update(closed_at=now)
    if closed:
        response.closed_at = now
    return bool(closed)


def plan_of(response: InadequateResponse):
    """The provider's improvement plan for the response: the one asked for when it opened, or, if none
    could be asked for then (no council user to ask), the first asked for since from the same
    inspection, which becomes the response's."""
    if response.action_plan_id is None and response.inspection_id:
        plan = (
            ActionPlan.objects.filter(source=ActionPlanSource.INADEQUATE, inspection_id=response.inspection_id)
            .order_by("pk")
            .first()
        )
        if plan is not None:
            InadequateResponse.objects.filter(pk=response.pk, action_plan__isnull=True).update(action_plan=plan)
            response.action_plan = plan
    return response.action_plan


def action_plan_accepted(plan) -> None:
    """A plan was accepted: close the responses that asked for it, if their decisions are all in."""
    if plan.inspection_id is None:
        return
    for response in InadequateResponse.objects.open().filter(inspection_id=plan.inspection_id):
        if plan_of(response) == plan:
            close_when_done(response)


# What the response page shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionVersion:
    """One safe-to-remain decision as it was saved: its words (SafeToRemainDecision.in_words; "" where
    the history does not hold them), when and by whom (full name, "" if unknown), and whether it was the
    first recording (else a change)."""

    words: str
    at: datetime
    by: str
    first: bool


def _name(user) -> str:
    return user.full_name if user is not None else ""


def decision_versions(decisions: list[SafeToRemainDecision]) -> dict[int, list[DecisionVersion]]:
    """Every version of each decision in `decisions` that was changed after it was first recorded,
    first to last, by decision pk; a decision never changed is not in it (its one version is itself).
    Read from the decisions' change history in one query, none if no decision was changed. A decision
    changed before its history was kept (2 December 2026) has only the versions kept since: its first
    recording is then given without its words, never with a later version's, and never in the name of
    whoever changed it."""
    changed = [decision for decision in decisions if decision.recorded_at and decision.changed_at]
    if not changed:
        return {}
    rows = defaultdict(list)
    saved = (
        SafeToRemainDecision.history.filter(id__in=[decision.pk for decision in changed])
        .exclude(decision="")
        .select_related("recorded_by", "changed_by")
        .order_by("history_date", "history_id")
    )
    for row in saved:
        # Saves of one act (the same recording or change) count once, as the last of them left it.
        if rows[row.id] and (rows[row.id][-1].recorded_at, rows[row.id][-1].changed_at) == (
            row.recorded_at,
            row.changed_at,
        ):
            rows[row.id][-1] = row
        else:
            rows[row.id].append(row)
    versions = {}
    for decision in changed:
        kept = rows.get(decision.pk, [])
        first = next((row for row in kept if row.changed_at is None), None)
        made = [
            DecisionVersion(
                first.instance.in_words if first else "",
                decision.recorded_at,
                _name(decision.recorded_by),
                first=True,
            )
        ]
        made += [
            DecisionVersion(row.instance.in_words, row.changed_at, _name(row.changed_by), first=False)
            for row in kept
            if row.changed_at is not None
        ]
        if len(made) == 1:  # changed before the history was kept: the change as it stands
            made.append(
                DecisionVersion(decision.in_words, decision.changed_at, _name(decision.changed_by), first=False)
            )
        versions[decision.pk] = made
    return versions


@dataclass
class Step:
    at: datetime | date
    what: str
    by: str = ""
    children: bool = False  # names a young person: shown only to those who may see them

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, datetime)


def timeline(response: InadequateResponse, decisions: list[SafeToRemainDecision]) -> list[Step]:
    """The response's steps in order: the judgement recorded, the visit planned and held, each decision,
    the plan requested, submitted and accepted, the response closed."""
    steps = [
        Step(
            response.opened_at,
            f"{response.inspection.result_label} judgement of {response.where} recorded "
            f"(inspected {response.inspection.inspection_date:%-d %B %Y})",
            response.opened_by.full_name if response.opened_by_id else "The Ofsted import",
        )
    ]
    visit = response.visit
    if visit is not None:
        steps.append(Step(response.visit_planned_at, f"Visit planned for {visit.planned_date:%-d %B %Y}"))
        if visit.visit_date and visit.status != VisitStatus.DRAFT:
            steps.append(
                Step(visit.visit_date, f"Visit held on {visit.visit_date:%-d %B %Y}", visit.lead_visitor.full_name)
            )
    versions = decision_versions(decisions)
    for decision in decisions:
        if not decision.recorded_at:
            continue
        initials = decision.young_person.initials
        first = DecisionVersion(decision.in_words, decision.recorded_at, _name(decision.recorded_by), first=True)
        for version in versions.get(decision.pk, [first]):
            if version.first:
                # Each version in the name of whoever saved it; a first recording whose words were not kept
                # is not given a later version's.
                what = f"{initials}: {version.words}" if version.words else f"{initials}: decision recorded"
            else:
                what = f"{initials}: decision changed to {version.words}"
            steps.append(Step(version.at, what, version.by, children=True))
    plan = response.action_plan
    if plan is not None:
        steps.append(
            Step(plan.requested_at, "Improvement plan requested from the provider", plan.requested_by.full_name)
        )
        # Who submitted and who accepted: the latest of each step on the plan's path, in one query.
        who = {}
        if plan.submitted_at or plan.accepted_at:
            events = plan.events.filter(step__in=(PlanStep.SUBMITTED, PlanStep.ACCEPTED), by__isnull=False)
            for step, name in events.order_by("at", "pk").values_list("step", "by__full_name"):
                who[step] = name
        if plan.submitted_at:
            steps.append(
                Step(plan.submitted_at, "Improvement plan submitted by the provider", who.get(PlanStep.SUBMITTED, ""))
            )
        if plan.accepted_at:
            steps.append(Step(plan.accepted_at, "Improvement plan accepted", who.get(PlanStep.ACCEPTED, "")))
    if response.closed_at:
        steps.append(Step(response.closed_at, "Response closed: every decision recorded and the plan accepted"))

    def key(step):
        at = step.at
        if isinstance(at, datetime):
            return timezone.localtime(at).replace(tzinfo=None)
        return datetime.combine(at, datetime.max.time())

    return sorted(steps, key=key)


def days_to_visit(response: InadequateResponse) -> int | None:
    """Days from the judgement being recorded to the visit held (0: the same day), or None."""
    visit = response.visit
    if visit is None or not visit.visit_date or visit.status == VisitStatus.DRAFT:
        return None
    return (visit.visit_date - timezone.localdate(response.opened_at)).days


# Telling people --------------------------------------------------------------------------------------


def _when(at: datetime) -> str:
    local = timezone.localtime(at)
    return f"{local:%H:%M} on {local:%-d %B %Y}"


def tell_response_opened(response: InadequateResponse) -> int:
    """Every active QA lead and the provider's commissioning officer (every one while none is named),
    once for this response: a visit to plan for the same working day, how many decisions are asked of
    whom. Returns how many were told now."""
    decisions = list(response.decisions.select_related("social_worker", "young_person"))
    return notify_each(
        [*User.objects.active_with_role(Role.QA_LEAD), *response.provider.commissioning_officers()],
        kind="inadequate_response_opened",
        key=f"inadequate_response:{response.pk}",
        subject=f"Inadequate judgement: plan a visit to {response.where} today",
        template="emails/inadequate_response_opened",
        context={
            "response": response,
            "decisions": len(decisions),
            "without_social_worker": sum(d.social_worker_id is None for d in decisions),
            "due": _when(response.opened_at + timedelta(hours=DECISION_HOURS)),
        },
        about=response.provider,
        link=response.get_absolute_url(),
    )


def tell_social_worker_asked(decision: SafeToRemainDecision) -> bool:
    """The child's allocated social worker, once: decide whether they are safe to remain, by when."""
    worker = decision.social_worker
    if worker is None or not worker.is_active:
        return False
    response = decision.response
    return (
        notify(
            to=worker,
            kind="safe_to_remain_asked",
            key=f"safe_to_remain:{decision.pk}",
            subject=f"Decide by {_when(decision.due_at)}: is {decision.young_person.initials} safe to remain "
            f"at {response.where}?",
            template="emails/safe_to_remain",
            context={"decision": decision, "response": response, "due": _when(decision.due_at), "step": "asked"},
            about=response.provider,
            link=decision.get_absolute_url(),
        )
        is not None
    )


def remind_decisions(now: datetime | None = None) -> dict[str, int]:
    """The hourly job (and the daily reminders): each decision due within REMIND_HOURS_BEFORE hours
    and not recorded, reminded to its social worker once; each overdue, escalated to every QA lead
    once. Claimed by setting `reminded_at`/`escalated_at` where unset, so a run twice tells nobody
    twice. Returns how many people were told, by kind."""
    now = now or timezone.now()
    told = {"safe_to_remain_reminder": 0, "safe_to_remain_overdue": 0}
    soon = SafeToRemainDecision.objects.pending().filter(
        due_at__gt=now, due_at__lte=now + timedelta(hours=REMIND_HOURS_BEFORE), reminded_at__isnull=True
    )
    for decision in soon.select_related("response__provider", "response__setting", "young_person", "social_worker"):
        with transaction.atomic():
            if not SafeToRemainDecision.objects.filter(pk=decision.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            worker = decision.social_worker
            if worker is None or not worker.is_active:
                continue
            told["safe_to_remain_reminder"] += (
                notify(
                    to=worker,
                    kind="safe_to_remain_reminder",
                    key=f"safe_to_remain:{decision.pk}:reminder",
                    subject=f"Reminder: is {decision.young_person.initials} safe to remain at "
                    f"{decision.response.where}? Due {_when(decision.due_at)}",
                    template="emails/safe_to_remain",
                    context={
                        "decision": decision,
                        "response": decision.response,
                        "due": _when(decision.due_at),
                        "step": "reminder",
                    },
                    about=decision.response.provider,
                    link=decision.get_absolute_url(),
                )
                is not None
            )
    overdue = SafeToRemainDecision.objects.overdue(now).filter(escalated_at__isnull=True)
    for decision in overdue.select_related("response__provider", "response__setting", "young_person", "social_worker"):
        with transaction.atomic():
            if not SafeToRemainDecision.objects.filter(pk=decision.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            told["safe_to_remain_overdue"] += notify_each(
                User.objects.active_with_role(Role.QA_LEAD),
                kind="safe_to_remain_overdue",
                key=f"safe_to_remain:{decision.pk}:overdue",
                subject=f"Overdue: no decision yet whether {decision.young_person.initials} is safe to remain at "
                f"{decision.response.where}",
                template="emails/safe_to_remain",
                context={
                    "decision": decision,
                    "response": decision.response,
                    "due": _when(decision.due_at),
                    "step": "overdue",
                },
                about=decision.response.provider,
                link=decision.get_absolute_url(),
            )
    return told
