"""The provider page's review meetings and recommendations section."""

from django.db.models import Count, Window

from qa_portal import access
from reviews.access import may_review_action_plan
from reviews.models import ActionPlan, Recommendation, ReviewMeeting
from reviews.selectors import review_status

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
