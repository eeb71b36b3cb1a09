"""Seeds the demo's recommendations from data/recommendations.toml: those made on its QA visits,
with the provider's response once it has responded, and those raised at its review meetings,
with a progress update. Each is found again by its visit or meeting and its text."""

from datetime import date, datetime, timedelta

from qa_portal.reporting.demo.seeding import Calendar, demo_user, load, upsert
from qa_portal.roles import Role
from reviews.models import (
    ActionHolder,
    Level,
    Priority,
    ProgressUpdate,
    Recommendation,
    RecommendationStatus,
    ReviewMeeting,
    Source,
    YouSaid,
)
from visits.models import Visit, VisitEvent, VisitStatus


def _status(spec: dict, calendar: Calendar) -> dict:
    """Its status, completion and impact as they stand today: a completion dated after today has
    not happened yet, so until then the recommendation is in progress."""
    completed = calendar.at(spec["completed"]) if "completed" in spec else None
    if completed and completed.date() > calendar.today:
        return {"status": RecommendationStatus.IN_PROGRESS, "completed_at": None, "impact_statement": ""}
    return {
        "status": RecommendationStatus(spec["status"]),
        "completed_at": completed,
        "impact_statement": calendar.text(spec.get("impact", "")),
    }


def _common(spec: dict, calendar: Calendar) -> dict:
    return {
        "level": Level(spec["level"]),
        "owner": demo_user(Role(spec["owner"])),
        "action_holder": ActionHolder(spec["action_holder"]),
        "due_date": calendar.day(spec["due"]),
        "priority": Priority(spec["priority"]),
        "not_accepted_reason": calendar.text(spec.get("not_accepted_reason", "")),
        **_status(spec, calendar),
    }


def _event_at(visit: Visit, step: str) -> datetime | None:
    event = visit.events.filter(step=step).order_by("at").first()
    return event.at if event else None


def _response(spec: dict, responded: datetime | None, calendar: Calendar) -> dict:
    """The provider's response, once it has responded to the report."""
    response = {
        "provider_accepted": None,
        "provider_reason": "",
        "provider_action": "",
        "provider_action_by": None,
        "provider_responded_at": None,
    }
    if responded is None or not ({"response_action", "response_declined"} & spec.keys()):
        return response
    response["provider_responded_at"] = responded
    response["provider_accepted"] = "response_action" in spec
    if "response_action" in spec:
        response["provider_action"] = calendar.text(spec["response_action"])
        response["provider_action_by"] = calendar.day(spec["response_by"])
    else:
        response["provider_reason"] = calendar.text(spec["response_declined"])
    return response


def _you_said(spec: dict, visit: Visit, person, *, at: datetime) -> YouSaid | None:
    """What the young person asked for that the recommendation answers ("You said, we did"): `you_said`
    in its spec, marked on the visit by its lead visitor as it was written up."""
    if "you_said" not in spec or person is None:
        return None
    said = " ".join(spec["you_said"].split())
    by = visit.lead_visitor
    values = {"said": said, "created_by": by, "updated_by": by, "created_at": at, "updated_at": at}
    return upsert(YouSaid, {"visit": visit, "young_person": person}, values, by=by, at=at)


def seed(calendar: Calendar, visits: dict[str, Visit]) -> None:
    """Create or refresh the recommendations on the demo visits (visits.seed returns them): one
    is written into a report before it is submitted, so a draft has none yet."""
    for spec in load("recommendations")["recommendations"]:
        visit = visits.get(spec["visit"])
        if visit is None or visit.status == VisitStatus.DRAFT:
            continue
        submitted = _event_at(visit, VisitEvent.Step.SUBMITTED) or visit.created_at
        # Written into the report shortly before it was submitted.
        created_at = submitted - timedelta(hours=1)
        person = None
        if "young_person" in spec:
            person = visit.young_people_met.get(
                placements__provider=visit.provider, placements__start_date=calendar.day(spec["young_person"])
            )
        upsert(
            Recommendation,
            {"visit": visit, "text": spec["text"]},
            {
                "source": Source.VISIT,
                "provider": visit.provider,
                "young_person": person,
                "you_said": _you_said(spec, visit, person, at=created_at - timedelta(hours=1)),
                **_common(spec, calendar),
                **_response(spec, _event_at(visit, VisitEvent.Step.RESPONDED), calendar),
                "created_by": visit.lead_visitor,
                "created_at": created_at,
            },
            by=visit.lead_visitor,
            at=created_at,
        )


def seed_meeting_recommendations(calendar: Calendar) -> None:
    """Create or refresh the recommendations raised at the demo's review meetings, each at its
    provider's first meeting held on or after its `held_from`; those for the provider to act on
    (`shared_with_provider = true`) shared with it by the commissioning officer an hour later."""
    officer = demo_user(Role.COMMISSIONING_OFFICER)
    for spec in load("recommendations")["meeting_recommendations"]:
        meeting = (
            ReviewMeeting.objects.held()
            .filter(provider__name=spec["provider"], held_at__gte=calendar.at(spec["held_from"], "00:00"))
            .order_by("held_at")
            .first()
        )
        if meeting is None:
            raise RuntimeError(f"Demo data: no review meeting with {spec['provider']} held from {spec['held_from']}.")
        created_at = meeting.held_at + timedelta(hours=2)
        # A meeting's recommendation reaches the provider only once the council shares it (reviews.access).
        shared = spec.get("shared_with_provider", False)
        recommendation = upsert(
            Recommendation,
            {"review_meeting": meeting, "text": spec["text"]},
            {
                "source": Source.REVIEW_MEETING,
                "provider": meeting.provider,
                **_common(spec, calendar),
                "created_by": officer,
                "created_at": created_at,
                "shared_with_provider": shared,
                "shared_with_provider_at": created_at + timedelta(hours=1) if shared else None,
                "shared_with_provider_by": officer if shared else None,
            },
            by=officer,
            at=created_at,
        )
        if "progress" in spec:
            upsert(
                ProgressUpdate,
                {"recommendation": recommendation, "text": spec["progress"]},
                {"status_after": recommendation.status, "by": officer, "at": calendar.at(spec["progress_on"])},
            )


def counts(today: date) -> dict[str, int]:
    """Recommendations: in all, by status, overdue, and how many were raised at review meetings."""
    by_status = {status: Recommendation.objects.filter(status=status).count() for status in RecommendationStatus.values}
    return {
        "recommendations": Recommendation.objects.count(),
        **by_status,
        "overdue": Recommendation.objects.overdue(today).count(),
        "meeting_recommendations": Recommendation.objects.filter(source=Source.REVIEW_MEETING).count(),
    }
