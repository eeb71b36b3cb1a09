"""Workflows of providers' action plans (issue 16): requesting one, the provider writing and submitting
it, the council returning or accepting it, re-checking it, and the daily chase and re-check reminder.

`request_action_plan` is the entry point for other workflows (the response to an Inadequate
judgement asks for the provider's improvement plan through it). Each step is recorded as an
`ActionPlanEvent` with who and when, and tells the other side at once (reviews.notifications).

Two people on one plan never overwrite each other unseen: a step moves the status only from the one
the person saw (two clicks, one move), and a change to an action is saved only if nobody saved that
action since the page was loaded (`loaded_at`, a sort of optimistic lock); otherwise
`ActionChangedMeanwhile` carries what is saved now, for the page to show beside what was typed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from providers.models import Concern, Judgement, OfstedInspection, Provider, SupportedAccommodationOutcome
from reviews.access import ADDRESSED_TO_PROVIDER
from reviews.models import (
    ACTION_PLAN_SOURCE_FIELDS,
    WITH_PROVIDER,
    ActionPlan,
    ActionPlanEvent,
    ActionPlanSource,
    ActionPlanStatus,
    ActionStatus,
    PlanAction,
    Recommendation,
    ReviewMeeting,
    default_due,
    default_recheck,
)
from reviews.notifications import (
    tell_council_action_plan_submitted,
    tell_council_recheck_due,
    tell_provider_action_plan,
)
from visits.models import Visit

Step = ActionPlanEvent.Step

SOURCE_MODELS = {
    ActionPlanSource.INADEQUATE: OfstedInspection,
    ActionPlanSource.VISIT: Visit,
    ActionPlanSource.REVIEW_MEETING: ReviewMeeting,
    ActionPlanSource.CONCERN: Concern,
}

ASKS_BY_SOURCE = {
    ActionPlanSource.INADEQUATE: (
        "Ofsted judged your service Inadequate. Send us your improvement plan: each action, the person "
        "responsible and the date it will be done by."
    ),
    ActionPlanSource.VISIT: "Send us your plan for the improvements our QA visit found were needed.",
    ActionPlanSource.REVIEW_MEETING: "Send us your plan for the actions agreed at our review meeting.",
    ActionPlanSource.CONCERN: "Send us your plan for the matters we raised with you.",
}


class ActionPlanStepRefused(Exception):
    """The plan is not where this step can be taken from (submitted already, accepted, moved on by
    someone else), or the person may not take it. The message says why, for the person."""


class ActionChangedMeanwhile(Exception):
    """Someone saved this action after the page was loaded. `action` is it as saved now."""

    def __init__(self, action: PlanAction):
        by = action.updated_by.full_name if action.updated_by_id else "Someone else"
        at = timezone.localtime(action.updated_at)
        super().__init__(
            f"{by} changed this action at {at:%H:%M} on {at:%-d %B} since you opened it. Your text is still in "
            "the boxes and theirs is shown under each one that differs. Combine them, then save again."
        )
        self.action = action


def _event(plan: ActionPlan, step: str, *, by, comment: str = "", at=None) -> ActionPlanEvent:
    event = ActionPlanEvent(plan=plan, step=step, by=by, comment=comment, at=at or timezone.now())
    event.full_clean()
    event.save()
    return event


def _claim(plan: ActionPlan, *, seen: tuple, to: str, by, **fields) -> None:
    """Move the plan to `to` only if its status is still one of `seen` (two clicks, or two people, one
    move), saving `fields` with it; ActionPlanStepRefused otherwise."""
    now = timezone.now()
    claimed = ActionPlan.objects.filter(pk=plan.pk, status__in=seen).update(
        status=to, updated_at=now, updated_by=by, **fields
    )
    if claimed != 1:
        current = ActionPlan.objects.get(pk=plan.pk)
        raise ActionPlanStepRefused(
            f"This action plan is {current.get_status_display().lower()} now: someone else took a step on it "
            "while you had it open. Check where it is, then carry on."
        )
    plan.status, plan.updated_at, plan.updated_by = to, now, by
    for name, value in fields.items():
        setattr(plan, name, value)


@transaction.atomic
def request_action_plan(
    *, provider: Provider, source: str, by, due: date | None = None, record=None, asks: str = ""
) -> ActionPlan:
    """Ask `provider` for an action plan, due by `due` (default 14 days from today), coming from
    `record` of the kind `source` (ActionPlanSource: an Ofsted inspection judged Inadequate, a visit, a
    review meeting or a concern, of this provider). `asks` is what it must address, as the provider
    will read it (a sentence for the source if blank). `by` is the council user asking.

    The provider's users and its contacts who receive reports are told at once, by email and in the
    portal. Safe to call again: while a plan from the same record is open, that plan is returned and
    nobody is told twice. Raises ValidationError for a record of another provider or kind, an
    inspection that is not Inadequate, or a due date in the past."""
    source = ActionPlanSource(source)
    field = ACTION_PLAN_SOURCE_FIELDS[source]
    if record is None or not isinstance(record, SOURCE_MODELS[source]):
        raise ValidationError({field: "Choose what the action plan comes from"})
    if source == ActionPlanSource.INADEQUATE and not (
        record.judgement == Judgement.INADEQUATE or record.sa_outcome == SupportedAccommodationOutcome.OUTCOME_3
    ):
        raise ValidationError({field: "Choose an inspection judged Inadequate (or outcome 3)"})
    existing = ActionPlan.objects.open().filter(provider=provider, source=source, **{field: record}).first()
    if existing is not None:
        return existing
    due = due or default_due()
    if due < timezone.localdate():
        raise ValidationError({"due_date": "The due date must be today or later"})
    plan = ActionPlan(
        provider=provider,
        source=source,
        asks=(asks or "").strip() or ASKS_BY_SOURCE[source],
        due_date=due,
        requested_by=by,
        updated_by=by,
        **{field: record},
    )
    plan.full_clean()
    plan.save()
    event = _event(plan, Step.REQUESTED, by=by, at=plan.requested_at)
    tell_provider_action_plan(plan, event)
    return plan


def _provider_user_of(plan: ActionPlan, by) -> None:
    if not (by.is_provider_user and by.provider_id == plan.provider_id):
        raise ActionPlanStepRefused("Only the provider's own staff write their action plan.")


def _lock(plan: ActionPlan) -> ActionPlan:
    """The plan's row, held until the transaction ends, so two saves on one plan go one after the other."""
    return ActionPlan.objects.select_for_update().get(pk=plan.pk)


def _recommendation_for(plan: ActionPlan, recommendation: Recommendation | None) -> Recommendation | None:
    """Only a live recommendation the provider was shown may be answered by an action."""
    if recommendation is None:
        return None
    shown = Recommendation.objects.live().filter(ADDRESSED_TO_PROVIDER, provider_id=plan.provider_id)
    if not shown.filter(pk=recommendation.pk).exists():
        raise ValidationError({"recommendation": "Choose one of your organisation's open recommendations"})
    return recommendation


def _touch(plan: ActionPlan, by, now) -> None:
    ActionPlan.objects.filter(pk=plan.pk).update(updated_at=now, updated_by=by)
    plan.updated_at, plan.updated_by = now, by


def _revised(plan: ActionPlan, by, comment: str, now) -> None:
    """A change to a plan returned for changes is a revision, recorded as a step of its history; one to
    a plan not yet submitted is the provider writing it, and one to an accepted plan is progress."""
    if plan.status == ActionPlanStatus.RETURNED:
        _event(plan, Step.REVISED, by=by, comment=comment, at=now)
    elif plan.status == ActionPlanStatus.ACCEPTED:
        _event(plan, Step.UPDATED, by=by, comment=comment, at=now)


@transaction.atomic
def plan_action_add(
    *, plan: ActionPlan, by, text: str, responsible: str, timescale: date, recommendation=None
) -> PlanAction:
    """A new action on a plan the provider is writing (requested, or returned for changes), by one of
    the provider's users. Raises ActionPlanStepRefused when the plan is not theirs to change now,
    ValidationError for a recommendation they were not shown."""
    _provider_user_of(plan, by)
    current = _lock(plan)
    if current.status not in WITH_PROVIDER:
        raise ActionPlanStepRefused(not_with_provider_message(current))
    plan.status = current.status
    now = timezone.now()
    action = PlanAction(
        plan=plan,
        text=(text or "").strip(),
        responsible=(responsible or "").strip(),
        timescale=timescale,
        recommendation=_recommendation_for(plan, recommendation),
        updated_at=now,
        updated_by=by,
    )
    action.full_clean()
    action.save()
    _touch(plan, by, now)
    _revised(plan, by, f"Added an action: {action.text}"[:500], now)
    return action


def not_with_provider_message(plan: ActionPlan) -> str:
    """Why the provider cannot change the plan's actions now, in a sentence."""
    if plan.status == ActionPlanStatus.SUBMITTED:
        return "This action plan has been submitted: the council is reviewing it, so it cannot be changed now."
    return f"This action plan is {plan.get_status_display().lower()}, so its actions cannot be changed now."


# While the provider writes the plan, every field of an action may change; once accepted, only its
# progress (the plan the council accepted stays as it was accepted).
WRITING_FIELDS = ("text", "responsible", "timescale", "recommendation", "status")
# A new action starts not started.
NEW_ACTION_FIELDS = ("text", "responsible", "timescale", "recommendation")
PROGRESS_FIELDS = ("status",)


def editable_fields(plan: ActionPlan) -> tuple[str, ...]:
    """The fields of an action the provider may change now: all while they write the plan, its
    progress once accepted, none while the council reviews it or after it is re-checked."""
    if plan.status in WITH_PROVIDER:
        return WRITING_FIELDS
    if plan.status == ActionPlanStatus.ACCEPTED:
        return PROGRESS_FIELDS
    return ()


@transaction.atomic
def plan_action_change(*, action: PlanAction, by, loaded_at, values: dict) -> PlanAction:
    """Save the provider's change to an action: `values` holds the fields `editable_fields` allows now
    (others are ignored). Saved only if nobody saved the action since `loaded_at` (the `updated_at` the
    page showed): otherwise ActionChangedMeanwhile, with the action as it is saved now. Raises
    ActionPlanStepRefused when the plan is not theirs to change, ValidationError as the model does."""
    plan = action.plan
    _provider_user_of(plan, by)
    current = _lock(plan)
    allowed = editable_fields(current)
    if not allowed:
        raise ActionPlanStepRefused(not_with_provider_message(current))
    plan.status = current.status
    now = timezone.now()
    if not PlanAction.objects.filter(pk=action.pk, updated_at=loaded_at).update(updated_at=now):
        raise ActionChangedMeanwhile(PlanAction.objects.select_related("updated_by").get(pk=action.pk))
    before = PlanAction.objects.get(pk=action.pk)
    if "recommendation" in allowed and "recommendation" in values:
        values = {**values, "recommendation": _recommendation_for(plan, values["recommendation"])}
    for name in allowed:
        if name in values:
            value = values[name]
            setattr(action, name, value.strip() if isinstance(value, str) and name != "status" else value)
    action.updated_at, action.updated_by = now, by
    action.full_clean()
    action.save()
    _touch(plan, by, now)
    if allowed == PROGRESS_FIELDS:
        if before.status != action.status:
            _revised(plan, by, f"{action.text[:200]}: {ActionStatus(action.status).label.lower()}", now)
    else:
        _revised(plan, by, f"Changed an action: {action.text}"[:500], now)
    return action


@transaction.atomic
def plan_action_remove(*, action: PlanAction, by) -> None:
    """Take an action out of a plan the provider is still writing."""
    plan = action.plan
    _provider_user_of(plan, by)
    current = _lock(plan)
    if current.status not in WITH_PROVIDER:
        raise ActionPlanStepRefused(not_with_provider_message(current))
    plan.status = current.status
    now = timezone.now()
    text = action.text
    action.delete()
    _touch(plan, by, now)
    _revised(plan, by, f"Removed an action: {text}"[:500], now)


@transaction.atomic
def action_plan_submit(*, plan: ActionPlan, by) -> ActionPlan:
    """The provider sends the plan (again, after a return) to the council, which is told at once: who
    asked for it and the provider's commissioning officer. A plan needs at least one action."""
    _provider_user_of(plan, by)
    current = _lock(plan)
    if current.status not in WITH_PROVIDER:
        raise ActionPlanStepRefused(not_with_provider_message(current))
    if not plan.actions.exists():
        raise ActionPlanStepRefused("Add at least one action before you submit the plan.")
    now = timezone.now()
    _claim(plan, seen=WITH_PROVIDER, to=ActionPlanStatus.SUBMITTED, by=by, submitted_at=now)
    event = _event(plan, Step.SUBMITTED, by=by, at=now)
    tell_council_action_plan_submitted(plan, event)
    return plan


@transaction.atomic
def action_plan_return(*, plan: ActionPlan, by, comment: str, due: date) -> ActionPlan:
    """The council returns a submitted plan with its comments, to be revised and submitted again by
    `due`; the provider is told at once. It will be chased once more if that date passes."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what needs to change"})
    if due < timezone.localdate():
        raise ValidationError({"due_date": "The date must be today or later"})
    _claim(plan, seen=(ActionPlanStatus.SUBMITTED,), to=ActionPlanStatus.RETURNED, by=by, due_date=due, chased_at=None)
    event = _event(plan, Step.RETURNED, by=by, comment=comment)
    tell_provider_action_plan(plan, event)
    return plan


@transaction.atomic
def action_plan_accept(*, plan: ActionPlan, by, recheck_date: date | None = None, comment: str = "") -> ActionPlan:
    """The council accepts a submitted plan, to be re-checked on `recheck_date` (default 6 months
    from today); the provider is told at once. The re-check is on the council's home page when due,
    and emailed to them once (`remind_rechecks_due`)."""
    recheck_date = recheck_date or default_recheck()
    if recheck_date <= timezone.localdate():
        raise ValidationError({"recheck_date": "The re-check date must be after today"})
    now = timezone.now()
    _claim(
        plan,
        seen=(ActionPlanStatus.SUBMITTED,),
        to=ActionPlanStatus.ACCEPTED,
        by=by,
        accepted_at=now,
        recheck_date=recheck_date,
    )
    event = _event(plan, Step.ACCEPTED, by=by, comment=(comment or "").strip(), at=now)
    tell_provider_action_plan(plan, event)
    # The response to an Inadequate judgement that asked for this plan may close now. Imported here:
    # reviews.responses asks for plans through this module.
    from reviews.responses import action_plan_accepted

    action_plan_accepted(plan)
    return plan


@transaction.atomic
def action_plan_recheck(*, plan: ActionPlan, by, comment: str) -> ActionPlan:
    """The council records its re-check of an accepted plan: what it found. The plan is then closed."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Say what the re-check found"})
    now = timezone.now()
    _claim(plan, seen=(ActionPlanStatus.ACCEPTED,), to=ActionPlanStatus.RECHECKED, by=by, rechecked_at=now)
    _event(plan, Step.RECHECKED, by=by, comment=comment, at=now)
    return plan


def chase_overdue_action_plans(today: date) -> int:
    """Chase, once, each plan not submitted by its due date (requested, or returned and not submitted
    again): its provider's users and contacts who receive reports, and whoever asked for it. Never
    every day: the plan is claimed by setting `chased_at` only where it is still unset, and only the
    run that claims it chases (a plan returned with a new due date may be chased once more). Returns
    how many emails were made."""
    told = 0
    for plan in ActionPlan.objects.overdue(today).filter(chased_at__isnull=True).select_related("provider"):
        with transaction.atomic():
            now = timezone.now()
            claimed = ActionPlan.objects.filter(
                Q(status__in=WITH_PROVIDER), pk=plan.pk, chased_at__isnull=True, due_date=plan.due_date
            ).update(chased_at=now)
            if claimed != 1:
                continue
            event = _event(plan, Step.CHASED, by=None, at=now)
            told += tell_provider_action_plan(plan, event, also=[plan.requested_by])
    return told


def remind_rechecks_due(today: date) -> int:
    """Tell the council, once per re-check date, of each accepted plan whose re-check date has come:
    whoever accepted it and the provider's commissioning officer. Returns how many were told."""
    told = 0
    plans = ActionPlan.objects.recheck_due(today).select_related("provider", "provider__commissioning_officer")
    for plan in plans:
        accepted = plan.events.filter(step=Step.ACCEPTED).select_related("by").order_by("-at", "-pk").first()
        told += tell_council_recheck_due(plan, accepted_by=accepted.by if accepted else plan.requested_by)
    return told
