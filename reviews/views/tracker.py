"""The Recommendation and Impact Tracker: the tracker and its exports, the monthly tracking meeting,
one recommendation and the steps taken on it, the actions flagged to a member of staff, and the
provider's own page of the recommendations addressed to them.

Every recommendation is loaded or listed through `qa_portal.access`, so a provider user of another
organisation gets a 404 everywhere; staff pages refuse provider users, and provider pages refuse staff.
"""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from providers.models import Concern
from qa_portal import access
from qa_portal.exports import spreadsheet_response
from qa_portal.history import changes_for
from qa_portal.pdf import render_pdf
from qa_portal.periods import FinancialYear
from reviews import services
from reviews.access import may_change, may_record_progress
from reviews.models import IS_LIVE, ProgressUpdate, Recommendation, RecommendationStatus, due_in_month_of, overdue_on
from reviews.services import LIVE_STATUSES
from reviews.tracker_forms import (
    ANY,
    LIVE,
    CompleteForm,
    MeetingProgressForm,
    NotAcceptedForm,
    ProgressForm,
    ProviderUpdateForm,
    RecommendationCreateForm,
    TrackerFilterForm,
)

PAGE_SIZE = 50
RELATED = ("provider", "young_person", "owner", "visit", "concern", "review_meeting")


def _load(request, pk, *, may=None) -> Recommendation:
    """One recommendation for a staff page: 404 if the user may not know of it, 403 if they may see it
    but not here (a provider user) or may not take this step."""
    user = request.user
    if not user.is_provider_user and not user.has_perm("reviews.view_recommendation"):
        raise PermissionDenied("You cannot see the recommendation tracker.")
    recommendation = access.get_for_user(user, Recommendation.objects.select_related(*RELATED), pk=pk)
    if user.is_provider_user:
        raise PermissionDenied("Your organisation's recommendations are on the page “Your recommendations”.")
    if may is not None and not may(user, recommendation):
        raise PermissionDenied("You cannot take this step on this recommendation.")
    return recommendation


# Reading the tracker: filters, the rows and the figures, in a fixed number of queries.


def _filters(request, visible) -> tuple[TrackerFilterForm, dict]:
    form = TrackerFilterForm(request.GET or None, recommendations=visible)
    return form, form.filters()


def _filtered(visible, filters: dict, today: date):
    queryset = visible
    status = filters.get("status", LIVE)
    if status == LIVE:
        queryset = queryset.live()
    elif status != ANY:
        queryset = queryset.filter(status=status)
    for name in ("owner", "provider", "source", "level"):
        if filters.get(name):
            queryset = queryset.filter(**{name: filters[name]})
    if filters.get("overdue"):
        queryset = queryset.overdue(on=today)
    if filters.get("due_this_month"):
        queryset = queryset.due_this_month(today)
    return queryset.order_by("due_date", "pk")


def _with_latest_progress(queryset):
    latest = ProgressUpdate.objects.filter(recommendation=OuterRef("pk")).order_by("-at", "-pk")
    return queryset.select_related(*RELATED).annotate(
        latest_progress=Subquery(latest.values("text")[:1]),
        latest_progress_at=Subquery(latest.values("at")[:1]),
    )


def _figures(visible, today: date) -> list[dict]:
    """The counts at the top of the tracker, over everything the user may see, in one query."""
    year = FinancialYear.containing(today)
    counts = visible.aggregate(
        open=Count("pk", filter=Q(status=RecommendationStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=RecommendationStatus.IN_PROGRESS)),
        overdue=Count("pk", filter=overdue_on(today)),
        due_this_month=Count("pk", filter=due_in_month_of(today)),
        completed_this_year=Count(
            "pk",
            filter=Q(status=RecommendationStatus.COMPLETED, completed_at__date__range=(year.start, year.end)),
        ),
        not_accepted=Count("pk", filter=Q(status=RecommendationStatus.NOT_ACCEPTED)),
    )
    return [
        {"key": "open", "label": "Open", "value": counts["open"], "query": "status=open"},
        {"key": "in_progress", "label": "In progress", "value": counts["in_progress"], "query": "status=in_progress"},
        {"key": "overdue", "label": "Overdue", "value": counts["overdue"], "query": "overdue=1"},
        {
            "key": "due_this_month",
            "label": "Due this month",
            "value": counts["due_this_month"],
            "query": "due_this_month=1",
        },
        {
            "key": "completed_this_year",
            "label": "Completed this year",
            "hint": f"April {year.start.year} to March {year.end.year}",
            "value": counts["completed_this_year"],
            "query": "",
        },
        {
            "key": "not_accepted",
            "label": "Not accepted",
            "value": counts["not_accepted"],
            "query": "status=not_accepted",
        },
    ]


def _describe(form: TrackerFilterForm, filters: dict) -> list[str]:
    """The filters in words, for the results line and the printed tracker."""
    status = dict(form.fields["status"].choices)[filters.get("status", LIVE)]
    words = [status]
    if filters.get("owner"):
        words.append(f"owned by {filters['owner'].full_name}")
    if filters.get("provider"):
        words.append(f"provider {filters['provider'].name}")
    for name in ("source", "level"):
        if filters.get(name):
            words.append(f"{form.fields[name].label.lower()}: {dict(form.fields[name].choices)[filters[name]]}")
    if filters.get("overdue"):
        words.append("overdue only")
    if filters.get("due_this_month"):
        words.append("due this month")
    return words


@require_GET
@permission_required("reviews.view_recommendation", raise_exception=True)
def tracker(request):
    today = timezone.localdate()
    visible = access.visible_to(request.user, Recommendation)
    form, filters = _filters(request, visible)
    rows = _with_latest_progress(_filtered(visible, filters, today))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "described": _describe(form, filters),
        "figures": _figures(visible, today),
        "today": today,
    }
    return render(request, "reviews/tracker/tracker.html", context)


EXPORT_COLUMNS = [
    "Reference",
    "Source",
    "Provider",
    "Level",
    "Young person",
    "Recommendation",
    "Owner",
    "Action holder",
    "Priority",
    "Due date",
    "Overdue",
    "Status",
    "Latest progress",
    "Latest progress on",
    "Impact statement",
    "Completed on",
    "Reason not accepted",
    "Provider's response",
    "Provider's action",
    "Provider's action by",
    "Raised on",
]


def source_label(recommendation: Recommendation) -> str:
    """Where a recommendation came from, with its date: "QA visit, 23/04/2024"."""
    label = recommendation.get_source_display()
    if recommendation.visit_id:
        return f"{label}, {recommendation.visit.date:%d/%m/%Y}"
    if recommendation.review_meeting_id:
        meeting = recommendation.review_meeting
        return f"{label}, {(meeting.held_on or meeting.due_date):%d/%m/%Y}"
    if recommendation.concern_id:
        return f"{label}, {recommendation.concern.received_on:%d/%m/%Y}"
    return label


def _provider_response(recommendation: Recommendation) -> str:
    if recommendation.provider_accepted is None:
        return "No response yet" if recommendation.provider_id else ""
    if recommendation.provider_accepted:
        return "Accepted"
    return f"Not accepted: {recommendation.provider_reason}"


def _local_date(moment):
    return timezone.localtime(moment).date() if moment else None


def _export_rows(recommendations):
    for rec in recommendations:
        yield [
            rec.pk,
            source_label(rec),
            rec.provider.name if rec.provider_id else "",
            rec.get_level_display(),
            rec.young_person.initials if rec.young_person_id else "",
            rec.text,
            rec.owner.full_name,
            rec.get_action_holder_display(),
            rec.get_priority_display(),
            rec.due_date,
            "Yes" if rec.is_overdue else "No",
            rec.get_status_display(),
            rec.latest_progress or "",
            _local_date(rec.latest_progress_at),
            rec.impact_statement,
            _local_date(rec.completed_at),
            rec.not_accepted_reason,
            _provider_response(rec),
            rec.provider_action,
            rec.provider_action_by,
            _local_date(rec.created_at),
        ]


@require_GET
@never_cache  # OFFICIAL-SENSITIVE: no copy is kept in browser or proxy caches.
@permission_required("reviews.view_recommendation", raise_exception=True)
def tracker_export(request, fmt):
    """The filtered tracker as CSV or XLSX, or as a PDF for the monthly tracking meeting."""
    if fmt not in ("csv", "xlsx", "pdf"):
        raise Http404("The tracker downloads as CSV, XLSX or PDF")
    today = timezone.localdate()
    visible = access.visible_to(request.user, Recommendation)
    form, filters = _filters(request, visible)
    recommendations = list(_with_latest_progress(_filtered(visible, filters, today)))
    stamp = today.strftime("%Y-%m-%d")
    if fmt != "pdf":
        return spreadsheet_response(
            fmt=fmt, name="recommendation-tracker", columns=EXPORT_COLUMNS, rows=_export_rows(recommendations)
        )
    context = {
        "recommendations": recommendations,
        "figures": _figures(visible, today),
        "described": _describe(form, filters),
        "today": today,
        "printed_by": request.user.full_name,
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
    }
    response = HttpResponse(render_pdf("reviews/tracker_pdf.html", context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recommendation-tracker-{stamp}.pdf"'
    return response


# The monthly tracking meeting: one live recommendation at a time, in due-date order.


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
def meeting_mode(request):
    today = timezone.localdate()
    user = request.user
    visible = access.visible_to(user, Recommendation)
    form, filters = _filters(request, visible)
    if filters.get("status") not in LIVE_STATUSES:
        filters["status"] = LIVE  # the meeting goes through what is still to do
    queue = _filtered(visible, filters, today)
    ids = list(queue.values_list("pk", flat=True))
    at = _position(request.GET.get("at"), len(ids))

    entry = None
    if request.method == "POST":
        recommendation = _load(request, request.POST.get("recommendation"), may=may_record_progress)
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
                still_listed = queue.filter(pk=recommendation.pk).exists()
                return redirect(_meeting_url(request, position + 1 if still_listed else position))
        position = ids.index(recommendation.pk) + 1 if recommendation.pk in ids else at
    else:
        if at > len(ids):
            context = {"form": form, "total": len(ids), "described": _describe(form, filters)}
            return render(request, "reviews/tracker/meeting_end.html", context)
        recommendation = _load(request, ids[at - 1])
        position = at
        if may_record_progress(user, recommendation):
            entry = MeetingProgressForm(recommendation=recommendation, may_complete=may_change(user, recommendation))

    context = {
        "recommendation": recommendation,
        "updates": list(recommendation.progress_updates.select_related("by__provider")[:3]),
        "entry": entry,
        "position": position,
        "total": len(ids),
        "described": _describe(form, filters),
        "today": today,
    }
    return render(request, "reviews/tracker/meeting.html", context)


# One recommendation, and the steps on it.


@require_GET
def recommendation_detail(request, pk):
    user = request.user
    recommendation = _load(request, pk)
    context = {
        "recommendation": recommendation,
        "updates": list(recommendation.progress_updates.select_related("by__provider")),
        "may_change": may_change(user, recommendation),
        "may_record_progress": may_record_progress(user, recommendation),
        "is_live": recommendation.status in LIVE_STATUSES,
        "today": timezone.localdate(),
    }
    if user.has_perm("providers.view_change_history"):
        context["history"] = changes_for(
            [(Recommendation.history.filter(id=recommendation.pk), lambda h: "Recommendation")]
        )
    return render(request, "reviews/tracker/detail.html", context)


def _step(request, pk, *, may, make_form, heading, save, done):
    """A one-form step on a live recommendation: `save(recommendation, cleaned_data)` calls the service."""
    recommendation = _load(request, pk, may=may)
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
    return render(request, "reviews/tracker/step.html", context)


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


@permission_required("reviews.add_recommendation", raise_exception=True)
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
    return render(request, "reviews/tracker/create.html", {"form": form})


@require_GET
def my_actions(request):
    """The live recommendations flagged to this member of staff: theirs, or a child's they are social worker for."""
    user = request.user
    if user.is_provider_user:
        return redirect("reviews:provider_recommendations")
    actions = _with_latest_progress(
        access.visible_to(user, Recommendation).live().flagged_to(user).order_by("due_date", "pk")
    )
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/tracker/my_actions.html", {"page": page, "today": timezone.localdate()})


# The provider's own page.


def _provider_user_only(request):
    if not request.user.is_provider_user:
        raise PermissionDenied("This page is for the provider's own staff.")


@require_GET
def provider_recommendations(request):
    """The recommendations addressed to the provider user's organisation: live ones first."""
    _provider_user_only(request)
    recommendations = (
        access.visible_to(request.user, Recommendation)
        .select_related("young_person", "visit")
        .annotate(closed=Case(When(IS_LIVE, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("closed", "due_date", "pk")
    )
    page = Paginator(recommendations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reviews/tracker/provider_list.html", {"page": page, "today": timezone.localdate()})


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
    }
    return render(request, "reviews/tracker/provider_update.html", context)
