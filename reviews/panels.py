"""The provider page's review meetings and recommendations section."""

from qa_portal import access
from reviews.models import Recommendation, ReviewMeeting
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
    # The soonest due; the tracker, filtered to the provider, has them all.
    context["recommendation_count"] = live.count()
    context["recommendations"] = list(
        live.select_related("young_person", "owner").order_by("due_date", "pk")[:RECOMMENDATIONS_SHOWN]
    )
    # Shown by initials beside the child-level recommendations (for the access log).
    context["young_person_ids"] = [rec.young_person_id for rec in context["recommendations"]]
    return "reviews/_provider_panel.html", context
