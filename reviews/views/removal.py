"""Removing a recommendation or a progress note recorded in error (twice, say): by the person who
recorded it, or a QA lead, with a reason kept in the history (qa_portal.removal). Staff pages only."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from qa_portal.removal import remove_page
from reviews import services
from reviews.models import ProgressUpdate, Recommendation
from reviews.views.recommendations import load_recommendation


def _where_it_was_listed(recommendation: Recommendation) -> str:
    """Where to go once it is removed: the visit or meeting it came from, or the tracker."""
    if recommendation.visit_id:
        return recommendation.visit.get_absolute_url()
    if recommendation.review_meeting_id:
        return recommendation.review_meeting.get_absolute_url()
    return reverse("reviews:tracker")


@require_http_methods(["GET", "POST"])
def recommendation_remove(request, pk):
    recommendation = load_recommendation(request, pk, removed=True)
    here = reverse("reviews:recommendation_detail", args=[recommendation.pk])
    raised_on = timezone.localtime(recommendation.created_at)
    details = [
        ("Recommendation", recommendation.text),
        ("Owner", recommendation.owner.full_name),
        ("Due", f"{recommendation.due_date:%-d %B %Y}"),
        ("Raised by", f"{recommendation.created_by.full_name} on {raised_on:%-d %B %Y}"),
    ]
    return remove_page(
        request,
        recommendation,
        what="recommendation",
        caption=f"Recommendation {recommendation.pk}",
        details=details,
        back_url=here,
        done_url=_where_it_was_listed(recommendation),
    )


@require_http_methods(["GET", "POST"])
def progress_remove(request, pk, update_pk):
    recommendation = load_recommendation(request, pk)
    # Found through its recommendation, which the access rules have let the user see.
    update = get_object_or_404(
        ProgressUpdate.all_objects.select_related("by"), pk=update_pk, recommendation=recommendation
    )
    here = reverse("reviews:recommendation_detail", args=[recommendation.pk])
    return remove_page(
        request,
        update,
        what="progress note",
        caption=f"Recommendation {recommendation.pk}",
        details=[
            ("Progress", update.text),
            ("Recorded by", f"{update.by.full_name} on {timezone.localtime(update.at):%-d %B %Y, %H:%M}"),
        ],
        back_url=here,
        done_url=here,
        remove=lambda reason: services.progress_update_remove(update=update, by=request.user, reason=reason),
    )
