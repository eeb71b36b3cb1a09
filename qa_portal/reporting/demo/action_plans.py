"""Seeds the demo's providers' action plans from data/action_plans.toml, one in each state (requested,
overdue, submitted, returned, accepted, re-check due), each with its actions and the history of its
steps, taken by the demo commissioning officer and the demo provider user on the days the file says.
Made directly, not through reviews.action_plans, so seeding sends no email."""

from datetime import date

from providers.models import OfstedInspection, Provider
from qa_portal.models import User
from qa_portal.reporting.demo.seeding import Calendar, demo_user, load, upsert
from qa_portal.roles import Role
from reviews.models import ActionPlan, ActionPlanEvent, ActionPlanStatus, PlanAction, ReviewMeeting
from visits.models import Visit

Step = ActionPlanEvent.Step


def _source(provider: Provider, spec: dict, calendar: Calendar):
    """The source record `spec` names: the provider's latest visit (not a draft), review meeting held or
    Inadequate inspection on or before the day the plan was requested. RuntimeError if there is none."""
    asked = calendar.day(spec["requested"])
    records = {
        "visit": Visit.objects.filter(provider=provider, visit_date__lte=asked)
        .exclude(status="draft")
        .order_by("-visit_date", "-pk"),
        "review_meeting": ReviewMeeting.objects.filter(provider=provider, held_at__date__lte=asked)
        .held()
        .order_by("-held_at", "-pk"),
        "inadequate": OfstedInspection.objects.filter(
            provider=provider, judgement=4, inspection_date__lte=asked
        ).order_by("-inspection_date", "-pk"),
    }[spec["source"]]
    found = records.first()
    if found is None:
        raise RuntimeError(f"Demo data: {provider} has no {spec['source']} before its action plan was requested.")
    return found


def _steps(spec: dict, calendar: Calendar, officer: User, provider_user: User) -> list[tuple]:
    """(step, by, at, comment) of each step the plan has taken, in order."""
    at = lambda name, hhmm: calendar.at(spec[name], hhmm)  # noqa: E731
    steps = [(Step.REQUESTED, officer, at("requested", "10:00"), "")]
    if "submitted" in spec:
        steps.append((Step.SUBMITTED, provider_user, at("submitted", "15:30"), ""))
    if "returned" in spec:
        steps.append((Step.RETURNED, officer, at("returned", "11:15"), spec["comment"]))
    if "accepted" in spec:
        steps.append((Step.ACCEPTED, officer, at("accepted", "14:00"), ""))
    if "chased" in spec:
        steps.append((Step.CHASED, None, at("chased", "07:00"), ""))
    return steps


def seed(calendar: Calendar) -> None:
    """Create or bring up to date the demo's action plans, their actions and their histories."""
    officer = demo_user(Role.COMMISSIONING_OFFICER)
    provider_user = demo_user(Role.PROVIDER_USER)
    for spec in load("action_plans")["plans"]:
        provider = Provider.objects.get(name=spec["provider"])
        record = _source(provider, spec, calendar)
        field = "inspection" if spec["source"] == "inadequate" else spec["source"]
        steps = _steps(spec, calendar, officer, provider_user)
        # Overdue and re-check due are states of a requested and an accepted plan, by their dates.
        status = ActionPlanStatus(
            {"overdue": "requested", "recheck_due": "accepted"}.get(spec["status"], spec["status"])
        )
        when = {step: at for step, _, at, _ in steps}
        plan = upsert(
            ActionPlan,
            {"provider": provider, "asks": spec["asks"]},
            {
                "source": spec["source"],
                field: record,
                "status": status,
                "due_date": calendar.day(spec["due"]),
                "requested_by": officer,
                "requested_at": when[Step.REQUESTED],
                "submitted_at": when.get(Step.SUBMITTED),
                "accepted_at": when.get(Step.ACCEPTED),
                "recheck_date": calendar.day(spec["recheck"]) if "recheck" in spec else None,
                "chased_at": when.get(Step.CHASED),
                "updated_at": steps[-1][2],
                "updated_by": steps[-1][1],
            },
        )
        for action in spec["actions"]:
            by = calendar.day(action["by"])
            upsert(
                PlanAction,
                {"plan": plan, "text": action["text"]},
                {
                    "responsible": action["responsible"],
                    "timescale": by,
                    "status": action["status"],
                    "updated_at": when.get(Step.SUBMITTED, when[Step.REQUESTED]),
                    "updated_by": provider_user,
                },
            )
        _history(plan, steps)


def _history(plan: ActionPlan, steps: list[tuple]) -> None:
    """The plan's events as `steps` says, written again only if they differ (a run on a later day)."""
    wanted = [(str(step), by.pk if by else None, at, comment) for step, by, at, comment in steps]
    found = [(e.step, e.by_id, e.at, e.comment) for e in plan.events.order_by("at", "pk")]
    if found == wanted:
        return
    plan.events.all().delete()
    ActionPlanEvent.objects.bulk_create(
        ActionPlanEvent(plan=plan, step=step, by_id=by, at=at, comment=comment) for step, by, at, comment in wanted
    )


def counts(today: date) -> dict[str, int]:
    """Action plans: in all, awaiting review, overdue, and with their re-check due."""
    return {
        "action_plans": ActionPlan.objects.count(),
        "awaiting_review": ActionPlan.objects.awaiting_review().count(),
        "overdue": ActionPlan.objects.overdue(today).count(),
        "recheck_due": ActionPlan.objects.recheck_due(today).count(),
    }
