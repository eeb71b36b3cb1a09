"""Workflows of the Recommendation and Impact Tracker."""

from django.db import transaction
from django.utils import timezone

from reviews.models import Recommendation, Source
from visits import services as visit_services
from visits.models import Visit, VisitStatus


@transaction.atomic
def recommendation_raise_on_visit(*, recommendation: Recommendation, visit: Visit, by) -> Recommendation:
    """A recommendation written into a draft visit report."""
    if visit.status != VisitStatus.DRAFT:
        raise visit_services.VisitStepRefused("Recommendations are added while the visit is a draft.")
    recommendation.source = Source.VISIT
    recommendation.visit = visit
    recommendation.provider = visit.provider
    recommendation.created_by = recommendation.created_by if recommendation.created_by_id else by
    recommendation.full_clean()
    recommendation.save()
    return recommendation


@transaction.atomic
def visit_provider_respond(*, visit: Visit, by, comment: str, responses: dict[int, dict]) -> Visit:
    """The provider's response to a shared report: a comment, and for each recommendation
    whether they accept it (and if not, why) and what they will do by when."""
    now = timezone.now()
    recommendations = {
        r.pk: r for r in Recommendation.objects.select_for_update().filter(visit=visit, pk__in=responses)
    }
    for pk, response in responses.items():
        rec = recommendations[pk]
        rec.provider_accepted = response["accepted"]
        rec.provider_reason = response["reason"]
        rec.provider_action = response["action"]
        rec.provider_action_by = response["action_by"]
        rec.provider_responded_at = now
        rec._history_user = by
        rec.save(
            update_fields=[
                "provider_accepted",
                "provider_reason",
                "provider_action",
                "provider_action_by",
                "provider_responded_at",
            ]
        )
    return visit_services.visit_record_provider_response(visit=visit, by=by, comment=comment)
