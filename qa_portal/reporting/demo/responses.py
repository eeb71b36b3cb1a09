"""Seeds the demo's responses to Inadequate judgements (issue 16), as reviews.responses would have left
them, each decision asked of the children placed where the judgement fell (its `placements_covered`):

- finished: Coquet House (Cheviot View Homes), judged Inadequate in May two years before the demo's
  year. The judgement was recorded on the morning of the same-day visit (visits.toml's
  "coquet_inadequate"), which is the response's visit; each of the two City children placed there then
  had their decision within hours (one safe to remain with safeguards, one to move to a family); the
  improvement plan was accepted, and re-checked six months on.
- in progress: Larchfield Foster Families, judged Inadequate nine days ago (providers.toml's "days-9")
  and recorded two working days ago, so whatever today is its decisions were due at least a day ago:
  one child's decision recorded within hours, one recorded late, and one overdue and escalated to the
  QA lead; the improvement plan asked for, not yet in; the visit not yet planned.

A response of another day's story (Fellside House's, which earlier demos had in progress) goes.
Made directly, not through reviews.responses, so seeding sends no email."""

from datetime import date, datetime, timedelta

from providers.models import OfstedInspection
from qa_portal.models import User
from qa_portal.reporting.demo.seeding import Calendar, demo_user, load, upsert
from qa_portal.reporting.demo.visits import find_visit
from qa_portal.roles import Role
from qa_portal.working_days import working_day_on_or_after
from reviews.models import (
    DECISION_HOURS,
    ActionPlan,
    ActionPlanEvent,
    ActionPlanSource,
    ActionPlanStatus,
    InadequateResponse,
    SafeToRemainDecision,
)
from reviews.responses import placements_covered

Step = ActionPlanEvent.Step

# Each child's decision: the answer, its detail, and hours from the judgement being recorded to the
# decision (None: not recorded, so overdue). Coquet House's children by how their placement went on:
# one who left within weeks was decided to move by the day they did; one who stayed, to remain.
SAFEGUARDS = "A second waking night worker on every shift, and a call from the social worker every day"
IN_PROGRESS_DECISIONS = [
    ("remain", {"safeguards": "Daily visits from the supervising social worker until our visit"}, 4),
    ("other", {"other": "Stays put with her carers while the agency's new manager reviews their approval"}, 27),
    ("", {}, None),
]


def _coquet_decision(placement, opened: datetime) -> tuple[str, dict, int]:
    if placement.end_date and (placement.end_date - opened.date()).days <= 60:
        return "move", {"move_by": placement.end_date}, 5
    return "remain", {"safeguards": SAFEGUARDS}, 3


def _working_day_after(day: date, days: int) -> date:
    return working_day_on_or_after(day + timedelta(days=days))


def _inspection(provider_name: str, setting_name: str) -> OfstedInspection | None:
    return (
        OfstedInspection.objects.filter(provider__name=provider_name, setting__name=setting_name, judgement=4)
        .order_by("-inspection_date", "-pk")
        .first()
    )


def _plan(inspection, opened: datetime, officer: User, **values) -> ActionPlan:
    """The improvement plan asked for when the response opened, with the history of its steps."""
    plan = upsert(
        ActionPlan,
        {"provider": inspection.provider, "inspection": inspection},
        {
            "source": ActionPlanSource.INADEQUATE,
            "asks": f"Ofsted judged {inspection.setting.name} Inadequate. Send us your improvement plan.",
            "due_date": opened.date() + timedelta(days=14),
            "requested_by": officer,
            "requested_at": opened + timedelta(minutes=1),
            "updated_by": officer,
            **values,
        },
    )
    steps = [(Step.REQUESTED, plan.requested_at, officer)]
    if plan.submitted_at:
        steps.append((Step.SUBMITTED, plan.submitted_at, None))
    if plan.accepted_at:
        steps.append((Step.ACCEPTED, plan.accepted_at, officer))
    if plan.rechecked_at:
        steps.append((Step.RECHECKED, plan.rechecked_at, officer))
    wanted = [(str(step), at, by.pk if by else None) for step, at, by in steps]
    if [(e.step, e.at, e.by_id) for e in plan.events.order_by("at", "pk")] != wanted:
        plan.events.all().delete()
        ActionPlanEvent.objects.bulk_create(
            ActionPlanEvent(plan=plan, step=step, at=at, by_id=by) for step, at, by in wanted
        )
    return plan


def _decisions(response, opened: datetime, answers, social_worker: User) -> None:
    """A decision for each child `placements_covered` gives, answered as `answers` says: a list taken
    in turn, or a function of the placement and when the response opened."""
    due = opened + timedelta(hours=DECISION_HOURS)
    covered = list(placements_covered(response.inspection, opened.date()))
    if len(covered) < 2:
        raise RuntimeError(f"Demo data: {response} should cover at least two children; it covers {len(covered)}.")
    for n, placement in enumerate(covered):
        answer, detail, hours = answers(placement, opened) if callable(answers) else answers[n % len(answers)]
        recorded = opened + timedelta(hours=hours) if hours is not None else None
        upsert(
            SafeToRemainDecision,
            {"response": response, "young_person": placement.young_person},
            {
                "placement": placement,
                "social_worker": placement.young_person.social_worker or social_worker,
                "due_at": due,
                "decision": answer,
                "safeguards": detail.get("safeguards", ""),
                "move_by": detail.get("move_by"),
                "other": detail.get("other", ""),
                "recorded_at": recorded,
                "recorded_by": social_worker if recorded else None,
                # The reminder goes four hours before it is due, to those not yet recorded then.
                "reminded_at": due - timedelta(hours=4)
                if not recorded or recorded > due - timedelta(hours=4)
                else None,
                "escalated_at": due + timedelta(minutes=5) if not recorded or recorded > due else None,
                "updated_at": recorded or opened,
            },
        )
    response.decisions.exclude(young_person__in=[p.young_person for p in covered]).delete()


def _finished(calendar: Calendar, officer: User, social_worker: User) -> InadequateResponse | None:
    inspection = _inspection("Cheviot View Homes", "Coquet House")
    spec = next(v for v in load("visits")["visits"] if v["key"] == "coquet_inadequate")
    visit = find_visit(spec)
    if inspection is None or visit is None or visit.visit_date is None:
        return None
    opened = calendar.at(visit.visit_date, "09:10")  # recorded the morning of the visit
    accepted = calendar.at(_working_day_after(opened.date(), 12), "14:00")
    rechecked = calendar.at(_working_day_after(accepted.date(), 182), "11:00")
    plan = _plan(
        inspection,
        opened,
        officer,
        status=ActionPlanStatus.RECHECKED,
        submitted_at=calendar.at(_working_day_after(opened.date(), 9), "16:20"),
        accepted_at=accepted,
        recheck_date=accepted.date() + timedelta(days=182),
        rechecked_at=rechecked,
        updated_at=rechecked,
    )
    response = upsert(
        InadequateResponse,
        {"inspection": inspection},
        {
            "provider": inspection.provider,
            "setting": inspection.setting,
            "opened_at": opened,
            "opened_by": officer,
            "visit_due_on": opened.date(),
            "visit": visit,
            "visit_planned_at": visit.events.get(step="planned").at,
            "action_plan": plan,
            "closed_at": plan.accepted_at,
        },
    )
    _decisions(response, opened, _coquet_decision, social_worker)
    return response


def _in_progress(calendar: Calendar, officer: User, social_worker: User) -> InadequateResponse | None:
    inspection = _inspection("Larchfield Foster Families", "Larchfield Foster Families (Exeter office)")
    if inspection is None:
        return None
    opened = calendar.at(calendar.day("days-2"), "09:30")
    plan = _plan(
        inspection, opened, officer, status=ActionPlanStatus.REQUESTED, updated_at=opened + timedelta(minutes=1)
    )
    response = upsert(
        InadequateResponse,
        {"inspection": inspection},
        {
            "provider": inspection.provider,
            "setting": inspection.setting,
            "opened_at": opened,
            "opened_by": officer,
            "visit_due_on": opened.date(),
            "visit": None,
            "visit_planned_at": None,
            "action_plan": plan,
            "closed_at": None,
        },
    )
    _decisions(response, opened, IN_PROGRESS_DECISIONS, social_worker)
    return response


def seed(calendar: Calendar) -> None:
    """Create or bring up to date the two demo responses, their decisions and improvement plans, and
    remove any other (one of another day's story)."""
    officer = demo_user(Role.COMMISSIONING_OFFICER)
    social_worker = demo_user(Role.SOCIAL_WORKER)
    kept = [
        r.pk for r in (_finished(calendar, officer, social_worker), _in_progress(calendar, officer, social_worker)) if r
    ]
    InadequateResponse.objects.exclude(pk__in=kept).delete()


def counts() -> dict[str, int]:
    return {
        "responses": InadequateResponse.objects.count(),
        "open": InadequateResponse.objects.open().count(),
        "decisions_overdue": SafeToRemainDecision.objects.overdue().count(),
    }
