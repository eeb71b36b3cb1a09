"""The monthly tracking meeting: the tracker's live recommendations one at a time, in the
tracker's order (soonest due first unless another sort was chosen), recording progress or
completing each as the meeting goes."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from providers.privacy import record_seen
from qa_portal import access
from qa_portal.intentions import one_record_per_intention
from qa_portal.table_versions import cached, code_digest, person_key
from reviews import services
from reviews.access import may_change, may_record_progress
from reviews.filters import LIVE, TrackerFilterSet
from reviews.models import Recommendation
from reviews.services import LIVE_STATUSES
from reviews.tracker_forms import MeetingProgressForm
from reviews.views.recommendations import load_recommendation
from reviews.views.tracker import LISTED


def _queue(request) -> TrackerFilterSet:
    """The tracker's filters, but only ever what is still to do."""
    data = request.GET.copy()
    if data.get("status") not in LIVE_STATUSES:
        data["status"] = LIVE
    visible = access.visible_to(request.user, Recommendation)
    return TrackerFilterSet(data, queryset=visible, request=request)


def _queue_ids(request, today) -> tuple[list[int], list[str]]:
    """The ids of the queue's recommendations in its order, and its filters in words. On a GET (the
    meeting moving from one recommendation to the next) they are kept per person, day and filters while
    no table they were read from is written (qa_portal.table_versions): reading every live
    recommendation's id (some 5,000 at a consortium's size) was most of the page's database time. A
    POST works them out afresh, in the transaction that saves."""

    def compute():
        filterset = _queue(request)
        return list(filterset.qs.values_list("pk", flat=True)), filterset.described()

    if request.method != "GET":
        return compute()
    key = (
        person_key(request.user),
        today,
        tuple((name, values) for name, values in request.GET.lists() if name != "at"),
        code_digest(__name__, "reviews.filters", "reviews.access"),
    )
    return cached("tracker-meeting-queue", key, compute)


def _position(value, total: int) -> int:
    try:
        position = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(position, 1), total + 1)


def _meeting_url(request, at: int) -> str:
    params = request.GET.copy()
    params["at"] = at
    return f"{reverse('reviews:tracker_meeting')}?{params.urlencode()}"


@permission_required("reviews.view_recommendation", raise_exception=True)
@one_record_per_intention
def meeting_mode(request):
    today = timezone.localdate()
    user = request.user
    ids, described = _queue_ids(request, today)
    at = _position(request.GET.get("at"), len(ids))

    entry = None
    if request.method == "POST":
        recommendation = load_recommendation(request, request.POST.get("recommendation"), may=may_record_progress)
        entry = MeetingProgressForm(
            request.POST, recommendation=recommendation, may_complete=may_change(user, recommendation)
        )
        if entry.is_valid():
            try:
                if entry.completing:
                    services.recommendation_complete(
                        recommendation=recommendation, by=user, impact_statement=entry.cleaned_data["impact_statement"]
                    )
                    messages.success(request, f"Recommendation {recommendation.pk} completed")
                else:
                    services.recommendation_record_progress(
                        recommendation=recommendation,
                        by=user,
                        text=entry.cleaned_data["text"],
                        status=entry.cleaned_data["status"],
                    )
                    messages.success(request, f"Progress saved on recommendation {recommendation.pk}")
            except services.RecommendationStepRefused as exc:
                messages.error(request, str(exc))
                return redirect(_meeting_url(request, at))
            except ValidationError as exc:
                entry.add_error(None, exc)
            else:
                # Move on: to the next one, or, if this one has left the list, to whichever took its place.
                position = ids.index(recommendation.pk) + 1 if recommendation.pk in ids else at
                still_listed = _queue(request).qs.filter(pk=recommendation.pk).exists()
                return redirect(_meeting_url(request, position + 1 if still_listed else position))
        position = ids.index(recommendation.pk) + 1 if recommendation.pk in ids else at
    else:
        if at > len(ids):
            context = {"total": len(ids), "described": described}
            return render(request, "reviews/tracker/meeting_end.html", context)
        recommendation = load_recommendation(request, ids[at - 1], related=LISTED)
        position = at
        if may_record_progress(user, recommendation):
            entry = MeetingProgressForm(recommendation=recommendation, may_complete=may_change(user, recommendation))

    context = {
        "recommendation": recommendation,
        "updates": list(recommendation.progress_updates.select_related("by__provider")[:3]),
        "entry": entry,
        "position": position,
        "total": len(ids),
        "described": described,
        "today": today,
    }
    record_seen(request, "Tracking meeting", [recommendation.young_person_id], record=recommendation)
    return render(request, "reviews/tracker/meeting.html", context)
