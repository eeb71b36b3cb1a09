"""One recommendation on the Recommendation and Impact Tracker and the steps taken on it (progress,
completion, not accepted), adding one, and the actions flagged to a member of staff.

Every recommendation is loaded through `qa_portal.access`, so a provider user of another
organisation gets a 404; these staff pages refuse provider users."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from providers.models import Concern
from providers.privacy import record_listed, record_seen
from qa_portal import access
from qa_portal.history import changes_for
from qa_portal.intentions import one_record_per_intention
from qa_portal.lists import kept_content, paginate
from reviews import services
from reviews.access import is_addressed_to_provider, may_change, may_record_progress, may_share_with_provider
from reviews.models import Recommendation
from reviews.selectors import plan_actions_answering
from reviews.services import LIVE_STATUSES
from reviews.tracker_forms import CompleteForm, NotAcceptedForm, ProgressForm, RecommendationCreateForm
from reviews.views.tracker import PAGE_SIZE, RELATED, with_latest_progress


def load_recommendation(request, pk, *, may=None, removed=False, related=RELATED) -> Recommendation:
    """One recommendation for a staff page: 404 if the user may not know of it, 403 if they may see it
    but not here (a provider user) or may not take this step. One removed in error is not found,
    unless `removed` (its own page, which says so, and removing it). `related` names the records it
    points at read with it (all of them by default; others are read when asked for): PostgreSQL takes
    about 3 ms to plan the query that joins them all, so a page that shows fewer names fewer."""
    user = request.user
    if not user.is_provider_user and not user.has_perm("reviews.view_recommendation"):
        raise PermissionDenied("You cannot see the recommendation tracker.")
    manager = Recommendation.all_objects if removed else Recommendation.objects
    # (select_related() with no names would join every record it points at.)
    recommendation = access.get_for_user(user, manager.select_related(*related) if related else manager.all(), pk=pk)
    if user.is_provider_user:
        raise PermissionDenied("Your organisation's recommendations are on the page “Your recommendations”.")
    if may is not None and not may(user, recommendation):
        raise PermissionDenied("You cannot take this step on this recommendation.")
    return recommendation


@require_GET
def recommendation_detail(request, pk):
    """A recommendation's page: what it asks, its progress, its action plans and changes. Its content (no
    form: each step is a page of its own) is kept as markup per person, day and recommendation while no
    table it was read from is written (qa_portal.lists.kept_content); the access is checked and who was
    seen logged at every opening."""
    # The access checked and the opening logged: its own row is enough (the content reads the rest).
    recommendation = load_recommendation(request, pk, removed=True, related=())
    record_seen(request, "Recommendation page", [recommendation.young_person_id], record=recommendation)
    content, _ = kept_content(
        request,
        "recommendation-page",
        "reviews/tracker/_detail_page.html",
        lambda: (_recommendation_context(request, recommendation.pk), None),
        code=(__name__, "reviews.access", "reviews.selectors", "qa_portal.history", "qa_portal.removal"),
    )
    return render(request, "reviews/tracker/detail.html", {"recommendation": recommendation, "content": content})


def _recommendation_context(request, pk: int) -> dict:
    user = request.user
    # Read again here, so its tables are among those the kept content watches.
    recommendation = load_recommendation(request, pk, removed=True)
    kept = not recommendation.is_removed
    context = {
        "recommendation": recommendation,
        "updates": list(recommendation.progress_updates.select_related("by__provider")),
        "may_change": kept and may_change(user, recommendation),
        "may_record_progress": kept and may_record_progress(user, recommendation),
        "may_share": kept and may_share_with_provider(user, recommendation),
        "addressed_to_provider": is_addressed_to_provider(recommendation),
        "is_live": kept and recommendation.status in LIVE_STATUSES,
        "today": timezone.localdate(),
        "plan_actions": plan_actions_answering(user, recommendation),
    }
    if user.has_perm("providers.view_change_history"):
        context["history"] = changes_for(
            [(Recommendation.history.filter(id=recommendation.pk), lambda h: "Recommendation")]
        )
    return context


def _step(request, pk, *, may, make_form, heading, save, done):
    """A one-form step on a live recommendation: `save(recommendation, cleaned_data)` calls the service."""
    recommendation = load_recommendation(request, pk, may=may)
    if recommendation.status not in LIVE_STATUSES:
        messages.info(request, services.closed_message(recommendation))
        return redirect("reviews:recommendation_detail", pk=recommendation.pk)
    form = make_form(request.POST or None, recommendation)
    if request.method == "POST" and form.is_valid():
        try:
            save(recommendation, form.cleaned_data)
        except services.RecommendationStepRefused as exc:
            messages.error(request, str(exc))
            return redirect("reviews:recommendation_detail", pk=recommendation.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("reviews:recommendation_detail", pk=recommendation.pk)
    context = {"form": form, "recommendation": recommendation, "heading": heading, "today": timezone.localdate()}
    record_seen(request, f"{heading} (recommendation)", [recommendation.young_person_id], record=recommendation)
    return render(request, "reviews/tracker/step.html", context)


@one_record_per_intention
def recommendation_progress(request, pk):
    return _step(
        request,
        pk,
        may=may_record_progress,
        make_form=lambda data, rec: ProgressForm(data, recommendation=rec),
        heading="Record progress",
        save=lambda rec, data: services.recommendation_record_progress(
            recommendation=rec, by=request.user, text=data["text"], status=data["status"]
        ),
        done="Progress saved",
    )


@one_record_per_intention
def recommendation_complete(request, pk):
    return _step(
        request,
        pk,
        may=may_change,
        make_form=lambda data, rec: CompleteForm(data),
        heading="Complete the recommendation",
        save=lambda rec, data: services.recommendation_complete(
            recommendation=rec, by=request.user, impact_statement=data["impact_statement"]
        ),
        done="Recommendation completed",
    )


@one_record_per_intention
def recommendation_not_accepted(request, pk):
    return _step(
        request,
        pk,
        may=may_change,
        make_form=lambda data, rec: NotAcceptedForm(data),
        heading="Record that it was not accepted",
        save=lambda rec, data: services.recommendation_not_accept(
            recommendation=rec, by=request.user, reason=data["not_accepted_reason"]
        ),
        done="Recorded as not accepted",
    )


@require_http_methods(["GET", "POST"])
def recommendation_share(request, pk):
    """Share a recommendation with its provider (the QA lead, a commissioning officer): a page saying
    what the provider will see, and the button. One that may never be shared (from a concern, about
    the authority's own service) is refused with the reason, on the recommendation's page."""
    if not request.user.has_perm("reviews.share_recommendation"):
        raise PermissionDenied("You cannot share recommendations with providers.")
    recommendation = load_recommendation(request, pk)
    refused = recommendation.why_not_shared_with_provider()
    if refused or recommendation.shared_with_provider:
        messages.error(request, refused) if refused else messages.info(request, "It is already shared.")
        return redirect("reviews:recommendation_detail", pk=recommendation.pk)
    if request.method == "POST":
        try:
            services.recommendation_share_with_provider(recommendation=recommendation, by=request.user)
        except services.RecommendationStepRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Recommendation {recommendation.pk} shared with {recommendation.provider.name}")
        return redirect("reviews:recommendation_detail", pk=recommendation.pk)
    return render(request, "reviews/tracker/share.html", {"recommendation": recommendation})


@permission_required("reviews.add_recommendation", raise_exception=True)
@one_record_per_intention
def recommendation_create(request):
    """A recommendation from a concern or another source; `?concern=<id>` starts it from that concern."""
    initial = {}
    if request.method == "GET" and request.GET.get("concern"):
        concern = access.get_for_user(request.user, Concern, pk=request.GET["concern"])
        initial = {"concern": concern.pk, "provider": concern.provider_id}
    form = RecommendationCreateForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.recommendation_raise(recommendation=form.instance, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Recommendation {recommendation.pk} added to the tracker")
            return redirect("reviews:recommendation_detail", pk=recommendation.pk)
    record_listed(request, form, "Add a recommendation to the tracker")
    return render(request, "reviews/tracker/create.html", {"form": form})


@require_GET
def my_actions(request):
    """The live recommendations flagged to this member of staff: theirs, or a child's they are social worker
    for. Its content (no form) is kept as markup per person, day and query string while no table it was
    read from is written (qa_portal.lists.kept_content); who was seen is logged at every opening."""
    user = request.user
    if user.is_provider_user:
        return redirect("reviews:provider_recommendations")
    content, shown = kept_content(
        request,
        "my-actions",
        "reviews/tracker/_my_actions_page.html",
        lambda: _my_actions_context(request),
        code=(__name__, "reviews.models.recommendations", "reviews.templatetags.tracker_rows", "reviews.access"),
    )
    record_seen(request, "Your actions", shown)
    return render(request, "reviews/tracker/my_actions.html", {"content": content})


def _my_actions_context(request) -> tuple[dict, list[int]]:
    user = request.user
    actions = with_latest_progress(
        access.visible_to(user, Recommendation).live().flagged_to(user).order_by("due_date", "pk")
    )
    page = paginate(request, actions, PAGE_SIZE)
    context = {"page": page, "today": timezone.localdate()}
    return context, [rec.young_person_id for rec in page if rec.young_person_id is not None]
