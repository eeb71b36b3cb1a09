"""Providers' action plans (issue 16): the council's list, the provider's list, one plan's page (the
council's and the provider's view of it), asking for one, the provider writing its actions and
submitting it, and the council returning, accepting and re-checking it.

Every plan is loaded through `qa_portal.access`: a provider user finds only their own organisation's
(another's is not found, 404); council staff need reviews.view_actionplan to read them (403 without),
and reviews.review_actionplan to take the council's steps."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from providers.models import Provider
from qa_portal import access
from qa_portal.intentions import one_record_per_intention
from qa_portal.lists import paginate
from reviews import action_plans as services
from reviews.access import may_review_action_plan, may_write_action_plan
from reviews.action_plan_forms import AcceptForm, ActionPlanRequestForm, PlanActionForm, RecheckForm, ReturnForm
from reviews.models import WITH_PROVIDER, ActionPlan, ActionPlanStatus, PlanAction

RELATED = ("provider", "requested_by", "inspection__setting", "visit", "review_meeting", "concern")
# Re-checked and closed plans the council's list shows a page at a time, the latest closed first.
CLOSED_PER_PAGE = 25


def load_plan(request, pk, *, review=False, write=False) -> ActionPlan:
    """One plan for `request.user`: 404 if they may not know of it; 403 for council staff without the
    permission to read plans (or, with `review`, to take the council's steps); with `write`, 403 for
    anyone but the provider's own users."""
    user = request.user
    if not user.is_provider_user and not user.has_perm("reviews.view_actionplan"):
        raise PermissionDenied("You cannot see providers' action plans.")
    plan = access.get_for_user(user, ActionPlan.objects.select_related(*RELATED), pk=pk)
    if review and not may_review_action_plan(user):
        raise PermissionDenied("Only the QA lead and commissioning officers take this step.")
    if write and not may_write_action_plan(user, plan):
        raise PermissionDenied("Only the provider's own staff write their action plan.")
    return plan


def _back(plan: ActionPlan):
    return redirect("reviews:action_plan_detail", pk=plan.pk)


@require_GET
def action_plan_list(request):
    """The council's list: plans awaiting review, overdue, due a re-check, with the provider, accepted,
    and re-checked (closed), each with the date that matters in its state. A provider user is sent to
    their own list."""
    user = request.user
    if user.is_provider_user:
        return redirect("reviews:provider_action_plans")
    if not user.has_perm("reviews.view_actionplan"):
        raise PermissionDenied("You cannot see providers' action plans.")
    today = timezone.localdate()
    plans = access.visible_to(user, ActionPlan).select_related("provider")
    sections = [
        ("awaiting", "Awaiting review", plans.awaiting_review().order_by("submitted_at", "pk")),
        ("overdue", "Overdue: not submitted by the due date", plans.overdue(today)),
        ("recheck", "Re-check due", plans.recheck_due(today).order_by("recheck_date", "pk")),
        (
            "with-provider",
            "With the provider, not yet due",
            plans.filter(status__in=WITH_PROVIDER, due_date__gte=today),
        ),
        (
            "accepted",
            "Accepted, to be re-checked",
            plans.filter(status=ActionPlanStatus.ACCEPTED, recheck_date__gt=today).order_by("recheck_date", "pk"),
        ),
        (
            "rechecked",
            "Re-checked and closed",
            plans.filter(status=ActionPlanStatus.RECHECKED).order_by("-rechecked_at", "-pk"),
        ),
    ]
    shown = []
    for anchor, title, rows in sections:
        if anchor == "rechecked":
            # Closed plans build up year on year (issue 15: pages of rows): a page of them at a time.
            page = paginate(request, rows, CLOSED_PER_PAGE)
            shown.append((anchor, title, page.object_list, page.paginator.count, page))
        else:
            rows = list(rows)
            shown.append((anchor, title, rows, len(rows), None))
    return render(request, "reviews/action_plans/list.html", {"sections": shown, "today": today})


@require_GET
def provider_action_plans(request):
    """A provider user's list of their organisation's action plans: those to write first."""
    if not request.user.is_provider_user:
        raise PermissionDenied("This page is for the provider's own staff.")
    plans = access.visible_to(request.user, ActionPlan).select_related("provider")
    order = {status: n for n, status in enumerate([*WITH_PROVIDER, ActionPlanStatus.SUBMITTED])}
    rows = sorted(plans, key=lambda plan: (order.get(plan.status, 9), plan.due_date, plan.pk))
    return render(request, "reviews/action_plans/provider_list.html", {"plans": rows, "today": timezone.localdate()})


@require_GET
def action_plan_detail(request, pk):
    user = request.user
    plan = load_plan(request, pk)
    writer = may_write_action_plan(user, plan)
    reviewer = may_review_action_plan(user)
    context = {
        "plan": plan,
        "actions": list(plan.actions.select_related("recommendation", "updated_by")),
        "events": list(plan.events.select_related("by__provider")),
        "is_provider": user.is_provider_user,
        "may_write": writer and plan.status in WITH_PROVIDER,
        "may_update_progress": writer and plan.status == ActionPlanStatus.ACCEPTED,
        "may_review": reviewer and plan.status == ActionPlanStatus.SUBMITTED,
        "may_recheck": reviewer and plan.status == ActionPlanStatus.ACCEPTED,
        "returned": plan.events.filter(step="returned").order_by("-at", "-pk").first()
        if plan.status == ActionPlanStatus.RETURNED
        else None,
        "today": timezone.localdate(),
    }
    return render(request, "reviews/action_plans/detail.html", context)


@permission_required("reviews.add_actionplan", raise_exception=True)
@one_record_per_intention
def action_plan_request(request, pk):
    """Ask a provider for an action plan (`?source=visit&visit=<id>` starts it from that record)."""
    provider = access.get_for_user(request.user, Provider, pk=pk)
    keys = ("source", "inspection", "visit", "review_meeting", "concern")
    initial = {key: request.GET[key] for key in keys if request.GET.get(key)} if request.method == "GET" else {}
    form = ActionPlanRequestForm(request.POST or None, provider=provider, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.request_action_plan(
                provider=provider,
                source=data["source"],
                by=request.user,
                due=data["due_date"],
                record=data["record"],
                asks=data["asks"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Action plan requested from {provider.name}, due {plan.due_date:%-d %B %Y}")
            return _back(plan)
    return render(request, "reviews/action_plans/request.html", {"form": form, "provider": provider})


def _action_form_page(request, plan, form, *, action=None):
    heading = "Change the action" if action else "Add an action"
    context = {"form": form, "plan": plan, "action": action, "heading": heading}
    return render(request, "reviews/action_plans/action_form.html", context)


@one_record_per_intention
def plan_action_add(request, pk):
    plan = load_plan(request, pk, write=True)
    if plan.status not in WITH_PROVIDER:
        messages.info(request, services.not_with_provider_message(plan))
        return _back(plan)
    form = PlanActionForm(request.POST or None, plan=plan, fields=services.NEW_ACTION_FIELDS)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_action_add(
                plan=plan,
                by=request.user,
                text=data["text"],
                responsible=data["responsible"],
                timescale=data["timescale"],
                recommendation=data["recommendation"],
            )
        except services.ActionPlanStepRefused as exc:
            messages.error(request, str(exc))
            return _back(plan)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Action added")
            return _back(plan)
    return _action_form_page(request, plan, form)


# A second click on "Remove this action", or a colleague's removal while the page was open: the plan is
# there, its action is not. Said on the plan's page rather than "Page not found".
ACTION_GONE = "This action is no longer on the plan: it has been removed."
ACTION_GONE_TYPED = (
    "This action was removed from the plan since you opened it. What you typed is still in the boxes: "
    "save it to add it to the plan again, or go back to the plan."
)


def _load_action(request, pk, action_pk) -> tuple[ActionPlan, PlanAction | None]:
    """The plan (404/403 as `load_plan` says) and its action, None if the action is no longer on it."""
    plan = load_plan(request, pk, write=True)
    try:
        action = access.get_for_user(
            request.user, PlanAction.objects.select_related("recommendation", "updated_by"), pk=action_pk, plan=plan
        )
    except Http404:
        return plan, None
    action.plan = plan
    return plan, action


def _action_gone(request, plan):
    """The action being changed was removed meanwhile: what was typed is offered as a new action while
    the provider may still add one, so nothing typed is lost; otherwise back to the plan, saying so."""
    if request.method != "POST" or plan.status not in WITH_PROVIDER:
        messages.info(request, ACTION_GONE)
        return _back(plan)
    form = PlanActionForm(request.POST, plan=plan, fields=services.NEW_ACTION_FIELDS)
    form.is_valid()
    form.add_error(None, ACTION_GONE_TYPED)
    form.helper.form_action = reverse("reviews:plan_action_add", args=[plan.pk])
    return _action_form_page(request, plan, form)


def plan_action_edit(request, pk, action_pk):
    """Change an action: every field while the provider writes the plan, its progress once accepted."""
    plan, action = _load_action(request, pk, action_pk)
    if action is None:
        return _action_gone(request, plan)
    fields = services.editable_fields(plan)
    if not fields:
        messages.info(request, services.not_with_provider_message(plan))
        return _back(plan)
    form = PlanActionForm(request.POST or None, plan=plan, fields=fields, action=action)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}
        try:
            services.plan_action_change(
                action=action, by=request.user, loaded_at=form.cleaned_data["loaded_at"], values=values
            )
        except services.ActionChangedMeanwhile as conflict:
            saved = conflict.action
            # Saving again now saves over theirs: it has been shown beside what was typed.
            form = PlanActionForm(
                {**request.POST.dict(), "loaded_at": saved.updated_at.isoformat()},
                plan=plan,
                fields=fields,
                action=saved,
            )
            form.is_valid()
            form.show_theirs(saved, values, str(conflict))
        except services.ActionPlanStepRefused as exc:
            messages.error(request, str(exc))
            return _back(plan)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Action saved")
            return _back(plan)
    return _action_form_page(request, plan, form, action=action)


@require_POST
def plan_action_remove(request, pk, action_pk):
    plan, action = _load_action(request, pk, action_pk)
    if action is None:
        messages.info(request, ACTION_GONE)
        return _back(plan)
    try:
        services.plan_action_remove(action=action, by=request.user)
    except services.ActionPlanStepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Action removed")
    return _back(plan)


@require_POST
def action_plan_submit(request, pk):
    plan = load_plan(request, pk, write=True)
    try:
        services.action_plan_submit(plan=plan, by=request.user)
    except services.ActionPlanStepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Action plan submitted: the council has been told")
    return _back(plan)


def _council_step(request, pk, *, make_form, heading, save, done):
    """A step the council takes on a plan (return, accept, re-check): `save(plan, cleaned_data)` calls
    the service. A plan not where the step can be taken is sent back to its page, saying why."""
    plan = load_plan(request, pk, review=True)
    expected = ActionPlanStatus.ACCEPTED if heading.startswith("Record") else ActionPlanStatus.SUBMITTED
    if plan.status != expected:
        messages.info(request, f"This action plan is {plan.get_status_display().lower()}, so this step is not open.")
        return _back(plan)
    form = make_form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            save(plan, form.cleaned_data)
        except services.ActionPlanStepRefused as exc:
            messages.error(request, str(exc))
            return _back(plan)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return _back(plan)
    context = {
        "form": form,
        "plan": plan,
        "heading": heading,
        "actions": list(plan.actions.select_related("recommendation")),
    }
    return render(request, "reviews/action_plans/step.html", context)


def action_plan_return(request, pk):
    return _council_step(
        request,
        pk,
        make_form=ReturnForm,
        heading="Return the action plan with comments",
        save=lambda plan, data: services.action_plan_return(
            plan=plan, by=request.user, comment=data["comment"], due=data["due_date"]
        ),
        done="Action plan returned to the provider with your comments",
    )


def action_plan_accept(request, pk):
    return _council_step(
        request,
        pk,
        make_form=AcceptForm,
        heading="Accept the action plan",
        save=lambda plan, data: services.action_plan_accept(
            plan=plan, by=request.user, recheck_date=data["recheck_date"], comment=data["comment"]
        ),
        done="Action plan accepted",
    )


def action_plan_recheck(request, pk):
    return _council_step(
        request,
        pk,
        make_form=RecheckForm,
        heading="Record the re-check",
        save=lambda plan, data: services.action_plan_recheck(plan=plan, by=request.user, comment=data["comment"]),
        done="Re-check recorded: the action plan is closed",
    )
