"""The provider page's review meetings and recommendations section, and its responses to Inadequate
judgements."""

from django.db.models import Count, F, Window

from providers.access import may_see_young_people
from qa_portal import access
from reviews.access import may_review_action_plan
from reviews.models import ActionPlan, InadequateResponse, Recommendation, ReviewMeeting
from reviews.responses import timeline
from reviews.selectors import review_status
from reviews.you_said import completed_pairs

RECOMMENDATIONS_SHOWN = 10


def provider_reviews(request, provider):
    user = request.user
    if not user.has_perm("reviews.view_recommendation"):
        return None
    context = {"review": review_status(provider)}
    if user.has_perm("reviews.view_reviewmeeting"):
        context["meetings"] = list(access.visible_to(user, ReviewMeeting).filter(provider=provider).held()[:5])
    live = access.visible_to(user, Recommendation).live().filter(provider=provider)
    # The soonest due, and how many in all (a window count: one query); the tracker, filtered to the
    # provider, has them all.
    context["recommendations"] = list(
        live.select_related("young_person", "owner")
        .annotate(in_all=Window(Count("pk")))
        .order_by("due_date", "pk")[:RECOMMENDATIONS_SHOWN]
    )
    context["recommendation_count"] = context["recommendations"][0].in_all if context["recommendations"] else 0
    # Shown by initials beside the child-level recommendations (for the access log).
    context["young_person_ids"] = [rec.young_person_id for rec in context["recommendations"]]
    if user.has_perm("reviews.view_actionplan"):
        # Its action plans, open ones first (issue 16), and the button to ask for one.
        plans = access.visible_to(user, ActionPlan).filter(provider=provider).select_related("provider")
        context["action_plans"] = sorted(plans, key=lambda plan: (plan.status == "rechecked", plan.due_date, plan.pk))
        context["may_request_action_plan"] = may_review_action_plan(user) and user.has_perm("reviews.add_actionplan")
    return "reviews/_provider_panel.html", context


def provider_inadequate_responses(request, provider):
    """The provider page's responses to Inadequate judgements (issue 16), open ones first, each with its
    timeline and a link to its page; for staff who may see them (never a provider user). The children's
    decisions are in the timeline only for those who may see young people."""
    user = request.user
    if user.is_provider_user or not user.has_perm("reviews.view_inadequateresponse"):
        return None
    # The visit and action plan (each with a person) are read after, and only when there are responses:
    # joined in, their eight joins took PostgreSQL 3 to 10 ms to plan a query that usually finds none
    # (issue 15); the provider is the page's own.
    responses = list(
        access.visible_to(user, InadequateResponse)
        .filter(provider=provider)
        .select_related("setting", "inspection", "opened_by")
        .prefetch_related(
            "visit__lead_visitor",
            "action_plan__requested_by",
            "decisions__young_person",
            "decisions__recorded_by",
            "decisions__changed_by",
        )
        .order_by(F("closed_at").asc(nulls_first=True), "-opened_at", "-pk")[:5]
    )
    if not responses:
        return None
    for response in responses:
        response.provider = provider
    shown = may_see_young_people(user)
    rows = []
    young_person_ids = []
    for response in responses:
        decisions = list(response.decisions.all())
        if shown:
            young_person_ids += [d.young_person_id for d in decisions]
        steps = [step for step in timeline(response, decisions) if shown or not step.children]
        rows.append(
            {
                "response": response,
                "steps": steps,
                "decided": sum(d.is_recorded for d in decisions),
                "decisions": len(decisions),
            }
        )
    return "reviews/responses/_provider_panel.html", {
        "provider": provider,
        "responses": rows,
        "young_people_shown": shown,
        "young_person_ids": young_person_ids,
    }


def provider_you_said(request, provider):
    """The provider page's link to its "You said, we did", with how many there are (naming nobody)."""
    if not request.user.has_perm("reviews.view_recommendation"):
        return None
    recommendations = access.visible_to(request.user, Recommendation).filter(provider=provider)
    count = completed_pairs(recommendations).count()
    return "reviews/_you_said_panel.html", {"you_said_count": count}
