"""A visit's path: submitted, shared with the provider, finalised and passed on (its case-record notes:
visits.views.case_record_notes)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from providers.privacy import record_seen
from qa_portal import access
from qa_portal.intentions import one_record_per_intention
from qa_portal.wording import count_of
from visits import services, sharing
from visits.access import may_see_young_people_met
from visits.forms import ReturnToDraftForm, ShareForm
from visits.models import Visit, VisitStatus
from visits.selectors import check_answers, visit_reasons, visit_with_report_data


def _take_step(request, pk, step, success: str, *, change=False):
    visit = access.get_for_user(request.user, Visit, pk=pk, change=change)
    try:
        step(visit=visit, by=request.user)
    except services.VisitStepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(visit)


def _visit_for_report(request, pk, *, change=False) -> Visit:
    return access.get_for_user(request.user, visit_with_report_data(Visit.objects.all()), pk=pk, change=change)


@one_record_per_intention
def submit(request, pk):
    """Check your answers (GET), then submit (POST): every section as written, with a Change link to
    each, what is still missing with a link to each, and the button only once nothing is."""
    visit = _visit_for_report(request, pk)
    if not access.can_change(request.user, visit):
        if visit.status != VisitStatus.DRAFT and request.method == "GET":
            messages.info(request, "This visit has been submitted, so its answers can no longer be changed.")
            return redirect(visit)
        raise PermissionDenied("You cannot change this visit.")
    if request.method == "POST":
        try:
            services.visit_submit(visit=visit, by=request.user)
        except services.VisitIncomplete as exc:
            still = count_of(len(exc.problems), "thing")
            messages.error(request, f"The visit cannot be submitted yet: {still} still to do.")
            return redirect("visits:submit", pk=visit.pk)
        except services.VisitStepRefused as exc:
            messages.error(request, str(exc))
            return redirect(visit)
        messages.success(request, "Visit submitted to the QA lead")
        return redirect(visit)
    context = {
        "visit": visit,
        "check": check_answers(visit),
        "missing": services.missing_items(visit),
        "reasons": visit_reasons(visit),
        "young_people_shown": may_see_young_people_met(request.user, visit),
        "recommendations": list(
            access.visible_to(request.user, visit.recommendations.all())
            .select_related("young_person", "owner")
            .order_by("pk")
        ),
        "can_change": True,
    }
    if context["young_people_shown"]:
        record_seen(
            request,
            f"Check answers: {visit}",
            [*(p.pk for p in visit.young_people_met.all()), *(r.young_person_id for r in context["recommendations"])],
            record=visit,
        )
    return render(request, "visits/submit_check.html", context)


@permission_required("visits.share_visit", raise_exception=True)
def return_to_draft(request, pk):
    visit = access.get_for_user(request.user, Visit, pk=pk)
    form = ReturnToDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_return_to_draft(visit=visit, by=request.user, note=form.cleaned_data["note"])
        except services.VisitStepRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Visit returned to draft")
        return redirect(visit)
    return render(request, "visits/return_to_draft.html", {"visit": visit, "form": form})


CHECK_BEFORE_SHARING = "Check what the provider will receive, then confirm to share the report."
CHANGED_SINCE_CHECKED = (
    "What the provider would receive has changed since you opened this page, so nothing has been shared. "
    "Check it again, then confirm."
)


@permission_required("visits.share_visit", raise_exception=True)
@one_record_per_intention
def share(request, pk):
    """Share a submitted report with its provider, never in one click: GET shows exactly what the
    provider will receive (visits.sharing); only a POST carrying the fingerprint of what was shown,
    unchanged since, shares it and emails them."""
    visit = _visit_for_report(request, pk)
    if visit.status != VisitStatus.SUBMITTED:
        messages.error(request, "Only a submitted report can be shared with the provider.")
        return redirect(visit)
    check = sharing.share_check(visit)
    form = ShareForm(request.POST if request.method == "POST" else None, initial={"checked": check.fingerprint})
    if request.method == "POST" and form.is_valid():
        checked = form.cleaned_data["checked"]
        if not checked:
            messages.error(request, CHECK_BEFORE_SHARING)
        elif checked != check.fingerprint:
            messages.error(request, CHANGED_SINCE_CHECKED)
        elif not check.can_share:
            messages.error(request, "There is nobody at the provider to email yet.")
        else:
            try:
                services.visit_share(visit=visit, by=request.user)
            except services.VisitStepRefused as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, "Report shared with the provider: their contacts have been emailed")
            return redirect(visit)
        # Shown again with what would be sent now, to check and confirm.
        form = ShareForm(initial={"checked": check.fingerprint})
    record_seen(
        request,
        f"Check before sharing: {visit}",
        (person["id"] for person in check.report["young_people"]),
        (recommendation.young_person_id for recommendation in check.report["recommendations"]),
        record=visit,
    )
    return render(
        request,
        "visits/share_check.html",
        {"visit": visit, "check": check, "form": form, "from_email": settings.DEFAULT_FROM_EMAIL},
    )


@require_POST
@permission_required("visits.finalise_visit", raise_exception=True)
def finalise(request, pk):
    return _take_step(request, pk, services.visit_finalise, "Report finalised")


@require_POST
@permission_required("visits.finalise_visit", raise_exception=True)
def share_with_commissioning(request, pk):
    return _take_step(
        request,
        pk,
        services.visit_share_with_commissioning,
        "Shared with commissioning: the officers have been emailed",
    )
