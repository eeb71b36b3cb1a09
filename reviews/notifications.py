"""Who is told what in the Recommendation and Impact Tracker, beyond the daily digest
(qa_portal/reporting/reminders.py) of what is due within 7 days or overdue."""

from django.urls import reverse
from django.utils import timezone

from providers.access import may_see_young_people
from qa_portal.notify import notify_each
from reviews.models import Recommendation, Source


def where_from(recommendation: Recommendation) -> str:
    """Where the recommendation came from, as it reads after "a recommendation": "from the visit to
    Harbour Lights Fostering on 3 March 2026", "from the review meeting with …", "from a concern about
    …", "about …", or "" for the authority's own service with no provider."""
    provider = recommendation.provider
    if recommendation.source == Source.VISIT and recommendation.visit_id:
        return f"from the visit to {provider} on {recommendation.visit.date:%-d %B %Y}"
    if recommendation.source == Source.REVIEW_MEETING and provider:
        return f"from the review meeting with {provider}"
    if recommendation.source == Source.CONCERN and provider:
        return f"from a concern about {provider}"
    return f"about {provider}" if provider else ""


def tell_owner_assigned(recommendation: Recommendation, *, by) -> int:
    """The recommendation's owner, at once, when it is raised with them as its owner or passed to them
    (issue 11: not only in the digest, 7 days before it is due). Keyed by the recommendation and the
    owner, so each owner is told once and a new owner is told in turn; `by` (who raised it or passed
    it on) is named, and not told if they made themselves the owner. Returns how many were told."""
    provider = recommendation.provider
    days = (recommendation.due_date - timezone.localdate()).days
    return notify_each(
        [recommendation.owner],
        actor=by,
        kind="recommendation_assigned",
        key=f"recommendation:{recommendation.pk}:owner:{recommendation.owner_id}",
        subject=(
            f"Recommendation {'about ' + str(provider) + ' ' if provider else ''}assigned to you, "
            f"due {recommendation.due_date:%-d %B %Y}"
        ),
        template="emails/recommendation_assigned",
        context={
            "recommendation": recommendation,
            "by": by,
            "where_from": where_from(recommendation),
            "days": days,
            "young_people_shown": may_see_young_people(recommendation.owner),
        },
        about=recommendation,
        link=reverse("reviews:recommendation_detail", args=[recommendation.pk]),
    )
