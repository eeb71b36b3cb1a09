"""Seeds the demo's responses to Inadequate judgements (issue 16): a finished one, after Coquet House
(Cheviot View Homes) was judged Inadequate two years before the demo's year (its visit held the same
day, a decision on each child placed then within hours, the improvement plan accepted); and one in
progress at Fellside House (Fellside Care), with one child's decision recorded and another overdue and
escalated to the QA lead. Made directly, not through reviews.responses, so seeding sends no email."""

from datetime import timedelta

from providers.models import OfstedInspection, Placement
from qa_portal.reporting.demo.seeding import Calendar, demo_user, upsert
from qa_portal.roles import Role
from reviews.models import ActionPlan, ActionPlanEvent, ActionPlanStatus, InadequateResponse, SafeToRemainDecision
from visits.models import Visit

DECISIONS = [
    (
        "remain",
        {"safeguards": "Daily visits from the social worker and an independent visitor until the monitoring visit"},
    ),
    ("move", {}),
    ("other", {"other": "Stays while a family placement is assessed; reviewed at the IRO's meeting on Friday"}),
]


def _inspection(provider_name: str, setting_name: str) -> OfstedInspection:
    return (
        OfstedInspection.objects.filter(provider__name=provider_name, setting__name=setting_name, judgement=4)
        .order_by("-inspection_date", "-pk")
        .first()
    )


def _placements(inspection: OfstedInspection, on):
    placements = Placement.objects.active_on(on).filter(provider_id=inspection.provider_id)
    own = placements.filter(setting_id=inspection.setting_id)
    # The demo's placements may not go back so far: those with the provider then stand in.
    return list((own if own.exists() else placements).select_related("young_person")[:3])


def _response(inspection, opened_at, officer, **values) -> InadequateResponse:
    return upsert(
        InadequateResponse,
        {"inspection": inspection},
        {
            "provider": inspection.provider,
            "setting": inspection.setting,
            "opened_at": opened_at,
            "opened_by": officer,
            "visit_due_on": opened_at.date(),
            **values,
        },
    )


def seed(calendar: Calendar) -> None:
    """Create or bring up to date the two demo responses and their decisions."""
    officer = demo_user(Role.COMMISSIONING_OFFICER)
    social_worker = demo_user(Role.SOCIAL_WORKER)
    finished = _inspection("Cheviot View Homes", "Coquet House")
    if finished is not None:
        opened = calendar.at(finished.inspection_date + timedelta(days=14), "09:10")
        plan = upsert(
            ActionPlan,
            {"provider": finished.provider, "inspection": finished},
            {
                "source": "inadequate",
                "asks": "Ofsted judged Coquet House Inadequate. Send us your improvement plan.",
                "status": ActionPlanStatus.RECHECKED,
                "due_date": opened.date() + timedelta(days=14),
                "requested_by": officer,
                "requested_at": opened + timedelta(minutes=20),
                "submitted_at": opened + timedelta(days=9),
                "accepted_at": opened + timedelta(days=12),
                "recheck_date": opened.date() + timedelta(days=180),
                "rechecked_at": opened + timedelta(days=181),
                "updated_at": opened + timedelta(days=181),
                "updated_by": officer,
            },
        )
        if not plan.events.exists():
            for step, at in (
                ("requested", plan.requested_at),
                ("submitted", plan.submitted_at),
                ("accepted", plan.accepted_at),
            ):
                ActionPlanEvent.objects.create(plan=plan, step=step, at=at, by=None if step == "submitted" else officer)
        visit = Visit.objects.filter(provider=finished.provider).exclude(status="draft").order_by("visit_date").first()
        response = _response(
            finished,
            opened,
            officer,
            action_plan=plan,
            closed_at=plan.accepted_at,
            visit=visit,
            visit_planned_at=opened + timedelta(minutes=40) if visit else None,
        )
        for n, placement in enumerate(_placements(finished, opened.date())):
            answer, detail = DECISIONS[n % len(DECISIONS)]
            recorded = opened + timedelta(hours=3 + 5 * n)
            upsert(
                SafeToRemainDecision,
                {"response": response, "young_person": placement.young_person},
                {
                    "placement": placement,
                    "social_worker": social_worker,
                    "due_at": opened + timedelta(hours=24),
                    "decision": answer,
                    "move_by": opened.date() + timedelta(days=7) if answer == "move" else None,
                    **detail,
                    "recorded_at": recorded,
                    "recorded_by": social_worker,
                    "updated_at": recorded,
                },
            )
    in_progress = _inspection("Fellside Care", "Fellside House")
    if in_progress is not None:
        opened = calendar.at("today-24", "10:00")
        plan = ActionPlan.objects.filter(provider=in_progress.provider, inspection=in_progress).order_by("pk").first()
        response = _response(in_progress, opened, officer, action_plan=plan)
        for n, placement in enumerate(_placements(in_progress, opened.date())[:2]):
            recorded = n == 0
            upsert(
                SafeToRemainDecision,
                {"response": response, "young_person": placement.young_person},
                {
                    "placement": placement,
                    "social_worker": social_worker,
                    "due_at": opened + timedelta(hours=24),
                    "decision": "remain" if recorded else "",
                    "safeguards": DECISIONS[0][1]["safeguards"] if recorded else "",
                    "recorded_at": opened + timedelta(hours=6) if recorded else None,
                    "recorded_by": social_worker if recorded else None,
                    "reminded_at": opened + timedelta(hours=20, minutes=10),
                    "escalated_at": None if recorded else opened + timedelta(hours=24, minutes=10),
                    "updated_at": opened + timedelta(hours=6) if recorded else opened,
                },
            )


def counts() -> dict[str, int]:
    return {
        "responses": InadequateResponse.objects.count(),
        "open": InadequateResponse.objects.open().count(),
        "decisions_overdue": SafeToRemainDecision.objects.overdue().count(),
    }
