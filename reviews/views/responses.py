"""The response to an Inadequate judgement (issue 16): its page and the "safe to remain?" decision form.

Both are the council's: loaded through `qa_portal.access`, a provider user finds none (404); council
staff need reviews.view_inadequateresponse (403 without). The children's decisions are shown only to
those who may see young people (providers.access.may_see_young_people), and each page showing them is
logged (providers.privacy.record_seen)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from providers.access import may_see_young_people
from providers.privacy import record_seen
from qa_portal import access
from qa_portal.lists import paginate
from reviews import responses as services
from reviews.filters import InadequateResponseFilterSet
from reviews.models import InadequateResponse, SafeToRemainDecision
from reviews.response_forms import SafeToRemainForm

PAGE_SIZE = 50
RELATED = (
    "provider",
    "setting",
    "inspection",
    "opened_by",
    "visit__lead_visitor",
    "action_plan__requested_by",
)


def load_response(request, pk) -> InadequateResponse:
    """One response for `request.user`: 404 for a provider user (none is theirs to know of), 403 for
    staff without reviews.view_inadequateresponse."""
    user = request.user
    if not user.is_provider_user and not user.has_perm("reviews.view_inadequateresponse"):
        raise PermissionDenied("You cannot see the responses to Inadequate judgements.")
    return access.get_for_user(user, InadequateResponse.objects.select_related(*RELATED), pk=pk)


@require_GET
def inadequate_response_list(request):
    """Every response to an Inadequate judgement the user may see: open ones first by default, or
    closed, or both; for one provider. What each stands at: the visit, the decisions recorded and
    overdue (counts only: no child is named here), the plan. 403 for staff without
    reviews.view_inadequateresponse, 404 for a provider user (as each response's page)."""
    user = request.user
    if user.is_provider_user:
        raise Http404("No such page.")
    if not user.has_perm("reviews.view_inadequateresponse"):
        raise PermissionDenied("You cannot see the responses to Inadequate judgements.")
    now = timezone.now()
    responses = access.visible_to(user, InadequateResponse).annotate(
        decision_count=Count("decisions"),
        decided=Count("decisions", filter=~Q(decisions__decision="")),
        overdue=Count("decisions", filter=Q(decisions__decision="", decisions__due_at__lt=now)),
    )
    filterset = InadequateResponseFilterSet(request.GET, queryset=responses, request=request)
    rows = filterset.qs.select_related("provider", "setting", "visit", "action_plan").order_by("-opened_at", "-pk")
    page = paginate(request, rows, PAGE_SIZE)
    context = {"filterset": filterset, "page": page, "today": timezone.localdate()}
    return render(request, "reviews/responses/list.html", context)


@require_GET
def inadequate_response(request, pk):
    user = request.user
    response = load_response(request, pk)
    plan = services.plan_of(response)
    decisions = list(
        response.decisions.select_related("young_person", "social_worker", "recorded_by", "changed_by").order_by(
            "young_person__initials", "pk"
        )
    )
    shown = may_see_young_people(user)
    if shown:
        record_seen(
            request, "Response to an Inadequate judgement", (d.young_person_id for d in decisions), record=response
        )
    steps = [step for step in services.timeline(response, decisions) if shown or not step.children]
    may_plan_visit = response.visit_id is None and not response.is_closed and user.has_perm("visits.add_visit")
    context = {
        "response": response,
        "plan": plan,
        "decisions": decisions if shown else [],
        "decision_count": len(decisions),
        "decided": sum(d.is_recorded for d in decisions),
        "overdue": sum(d.is_overdue for d in decisions),
        "young_people_shown": shown,
        "may_record": {d.pk for d in decisions if shown and services.may_record(user, d)},
        "steps": steps,
        "days_to_visit": services.days_to_visit(response),
        "plan_the_visit_url": services.plan_the_visit_url(response) if may_plan_visit else "",
        "visit_overdue": response.visit_id is None
        and not response.is_closed
        and response.visit_due_on < timezone.localdate(),
        "may_request_plan": plan is None and user.has_perm("reviews.review_actionplan"),
        "now": timezone.now(),
    }
    return render(request, "reviews/responses/detail.html", context)


def safe_to_remain(request, pk, decision_pk):
    """Record (or change) whether one young person is safe to remain: their social worker, the QA lead
    or a commissioning officer."""
    user = request.user
    response = load_response(request, pk)
    decision = access.get_for_user(
        user,
        SafeToRemainDecision.objects.select_related(
            "young_person", "social_worker", "recorded_by", "changed_by", "placement"
        ),
        pk=decision_pk,
        response=response,
    )
    decision.response = response
    if not services.may_record(user, decision):
        raise PermissionDenied(
            "Only the young person's social worker, the QA lead or a commissioning officer records this."
        )
    record_seen(request, "Safe to remain decision", [decision.young_person_id], record=response)
    form = SafeToRemainForm(request.POST or None, decision=decision)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.safe_to_remain_record(
                decision=decision,
                by=user,
                loaded_at=data["loaded_at"],
                answer=data["answer"],
                safeguards=data.get("safeguards") or "",
                move_by=data.get("move_by"),
                other=data.get("other") or "",
            )
        except services.DecisionChangedMeanwhile as conflict:
            saved = conflict.decision
            # Saving again now saves over theirs: it has been shown above what was chosen here.
            form = SafeToRemainForm(
                {**request.POST.dict(), "loaded_at": saved.updated_at.isoformat()}, decision=decision
            )
            form.is_valid()
            form.show_theirs(saved, str(conflict))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Decision for {decision.young_person.initials} recorded")
            return redirect(response)
    context = {"form": form, "response": response, "decision": decision}
    return render(request, "reviews/responses/decision.html", context)
