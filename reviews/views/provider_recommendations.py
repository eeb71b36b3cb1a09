"""The provider's own page of the recommendations addressed to their organisation, and their
update on one. Staff are refused these pages; everything is loaded through `qa_portal.access`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from providers.privacy import record_seen
from qa_portal import access
from qa_portal.intentions import one_record_per_intention
from qa_portal.lists import kept_content, paginate
from reviews import services
from reviews.models import IS_LIVE, Recommendation
from reviews.selectors import plan_actions_answering
from reviews.services import LIVE_STATUSES
from reviews.tracker_forms import ProviderUpdateForm
from reviews.views.tracker import PAGE_SIZE


def _provider_user_only(request):
    if not request.user.is_provider_user:
        raise PermissionDenied("This page is for the provider's own staff.")


@require_GET
def provider_recommendations(request):
    """The recommendations addressed to the provider user's organisation: live ones first. Its content (no
    form) is kept as markup per person, day and query string while no table it was read from is written
    (qa_portal.lists.kept_content); who was seen is logged at every opening."""
    _provider_user_only(request)
    content, shown = kept_content(
        request,
        "provider-recommendations",
        "reviews/tracker/_provider_list_page.html",
        lambda: _provider_recommendations_context(request),
        code=(__name__, "reviews.models.recommendations", "reviews.access"),
    )
    record_seen(request, "Your organisation's recommendations", shown)
    return render(request, "reviews/tracker/provider_list.html", {"content": content})


def _provider_recommendations_context(request) -> tuple[dict, list[int]]:
    recommendations = (
        access.visible_to(request.user, Recommendation)
        .select_related("young_person", "visit")
        .annotate(closed=Case(When(IS_LIVE, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("closed", "due_date", "pk")
    )
    page = paginate(request, recommendations, PAGE_SIZE)
    context = {"page": page, "today": timezone.localdate()}
    return context, [rec.young_person_id for rec in page if rec.young_person_id is not None]


@one_record_per_intention
def provider_recommendation_update(request, pk):
    """The provider's action and by-when on one recommendation, and a note of progress for the council."""
    _provider_user_only(request)
    user = request.user
    recommendation = access.get_for_user(user, Recommendation.objects.select_related("young_person", "visit"), pk=pk)
    is_live = recommendation.status in LIVE_STATUSES
    form = ProviderUpdateForm(request.POST or None, recommendation=recommendation) if is_live else None
    if request.method == "POST":
        if form is None:
            messages.error(request, services.closed_message(recommendation))
            return redirect("reviews:provider_recommendation_update", pk=recommendation.pk)
        if form.is_valid():
            try:
                services.recommendation_provider_update(
                    recommendation=recommendation,
                    by=user,
                    action=form.cleaned_data["provider_action"],
                    action_by=form.cleaned_data["provider_action_by"],
                    note=form.cleaned_data["note"],
                )
            except services.RecommendationStepRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Thank you: your update has been sent to the council")
            return redirect("reviews:provider_recommendations")
    context = {
        "recommendation": recommendation,
        "form": form,
        "notes": list(recommendation.progress_updates.filter(by__provider_id=user.provider_id).select_related("by")),
        "today": timezone.localdate(),
        "plan_actions": plan_actions_answering(user, recommendation),
    }
    record_seen(request, "Your update on a recommendation", [recommendation.young_person_id], record=recommendation)
    return render(request, "reviews/tracker/provider_update.html", context)
