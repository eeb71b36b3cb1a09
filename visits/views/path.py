"""A visit's path: submitted, shared with the provider, finalised, recorded and passed on."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from qa_portal import access
from visits import services
from visits.forms import ReturnToDraftForm
from visits.models import Visit


def _take_step(request, pk, step, success: str, *, change=False):
    visit = access.get_for_user(request.user, Visit, pk=pk, change=change)
    try:
        step(visit=visit, by=request.user)
    except services.VisitStepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(visit)


@require_POST
def submit(request, pk):
    visit = access.get_for_user(request.user, Visit, pk=pk, change=True)
    try:
        services.visit_submit(visit=visit, by=request.user)
    except services.VisitIncomplete as exc:
        messages.error(request, f"The visit cannot be submitted yet: {len(exc.problems)} thing(s) still to do.")
        return redirect(visit)
    except services.VisitStepRefused as exc:
        messages.error(request, str(exc))
        return redirect(visit)
    messages.success(request, "Visit submitted to the QA lead")
    return redirect(visit)


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


@require_POST
@permission_required("visits.share_visit", raise_exception=True)
def share(request, pk):
    return _take_step(
        request, pk, services.visit_share, "Report shared with the provider: their contacts have been emailed"
    )


@require_POST
@permission_required("visits.finalise_visit", raise_exception=True)
def finalise(request, pk):
    return _take_step(request, pk, services.visit_finalise, "Report finalised")


@require_POST
def record_on_case_records(request, pk):
    if not request.user.has_perm("visits.change_visit"):
        raise PermissionDenied
    return _take_step(request, pk, services.visit_record_on_case_records, "Recorded on each young person's case record")


@require_POST
@permission_required("visits.finalise_visit", raise_exception=True)
def share_with_commissioning(request, pk):
    return _take_step(
        request,
        pk,
        services.visit_share_with_commissioning,
        "Shared with commissioning: the officers have been emailed",
    )
