"""Recommendations raised inside a visit, and the provider's response to a shared report.

These live in the tracker's app so that the visits app never needs to know about it."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from providers.privacy import record_listed, record_seen
from qa_portal import access
from qa_portal.intentions import one_record_per_intention
from qa_portal.roles import Role
from reviews import services
from reviews.forms import ProviderResponseForm, VisitRecommendationForm
from reviews.models import Level, Recommendation
from visits import services as visit_services
from visits.access import may_see_young_people_met
from visits.models import Visit, VisitStatus


def _page(request, form, visit, heading):
    record_listed(request, form, f"{heading}: {visit}", record=visit)
    context = {
        "form": form,
        "heading": heading,
        "caption": str(visit),
        "back_url": visit.get_absolute_url(),
        "back_label": "Back to the visit",
    }
    return render(request, "reviews/recommendation_form.html", context)


@permission_required("reviews.add_recommendation", raise_exception=True)
@one_record_per_intention
def visit_recommendation_create(request, pk):
    visit = access.get_for_user(request.user, Visit.objects.select_related("provider"), pk=pk, change=True)
    people = _people(request.user, visit)
    form = VisitRecommendationForm(
        request.POST or None, visit=visit, people=people, initial=_from_mark(request, visit, people)
    )
    if request.method == "POST" and form.is_valid():
        services.recommendation_raise_on_visit(recommendation=form.instance, visit=visit, by=request.user)
        messages.success(request, "Recommendation added")
        return redirect("visits:section", pk=visit.pk, number=_recommendations_section(visit))
    return _page(request, form, visit, "Add a recommendation")


@permission_required("reviews.change_recommendation", raise_exception=True)
def visit_recommendation_edit(request, pk):
    recommendation = access.get_for_user(
        request.user, Recommendation.objects.select_related("visit__provider"), pk=pk, change=True
    )
    visit = recommendation.visit
    if visit is None or not access.can_change(request.user, visit):
        raise PermissionDenied("Recommendations in a visit report are changed while the visit is a draft.")
    form = VisitRecommendationForm(
        request.POST or None, instance=recommendation, visit=visit, people=_people(request.user, visit)
    )
    if request.method == "POST" and form.is_valid():
        services.recommendation_save_changes(recommendation=form.save(commit=False), by=request.user)
        messages.success(request, "Recommendation saved")
        return redirect("visits:section", pk=visit.pk, number=_recommendations_section(visit))
    return _page(request, form, visit, "Edit recommendation")


def _from_mark(request, visit, people) -> dict:
    """Raised from something a young person asked for ("Raise a recommendation from this" on the
    section of young people's views: ?you_said=<mark>): the form starts linked to it and, for someone
    who may name young people, as a child-level recommendation for the young person who asked."""
    wanted = request.GET.get("you_said", "")
    mark = visit.you_said.filter(pk=wanted).first() if wanted.isdigit() else None
    if mark is None:
        return {}
    if people is None:
        return {"you_said": mark.pk}
    return {"you_said": mark.pk, "level": Level.CHILD, "young_person": mark.young_person_id}


def _people(user, visit):
    """Whom a child-level recommendation in this visit may name: those placed there on the visit date,
    for its visitors and anyone who may see young people (visits.access.may_see_young_people_met);
    None (no child level) for anyone else."""
    return visit_services.young_people_placed(visit) if may_see_young_people_met(user, visit) else None


def _recommendations_section(visit) -> int:
    return visit.template.sections.filter(special="recommendations").values_list("number", flat=True).first() or 9


@one_record_per_intention
def visit_respond(request, pk):
    """The provider's response: only their own organisation's users, while the report is open to them."""
    if not request.user.has_role(Role.PROVIDER_USER):
        raise PermissionDenied("Only the provider responds to a visit report.")
    visit = access.get_for_user(request.user, Visit.objects.select_related("provider", "setting"), pk=pk)
    if visit.status not in (VisitStatus.SHARED, VisitStatus.RESPONDED):
        messages.error(request, "This report has been finalised, so it is no longer open for responses.")
        return redirect(visit)
    recommendations = access.visible_to(request.user, Recommendation).filter(visit=visit).select_related("young_person")
    form = ProviderResponseForm(request.POST or None, visit=visit, recommendations=recommendations.order_by("pk"))
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_provider_respond(
                visit=visit, by=request.user, comment=form.cleaned_data["comment"], responses=form.responses()
            )
        except visit_services.VisitStepRefused as exc:
            messages.error(request, str(exc))
            return redirect(visit)
        messages.success(request, "Thank you: your response has been sent")
        return redirect(visit)
    record_seen(request, f"Responding to the report: {visit}", (rec.young_person_id for rec in recommendations))
    return render(request, "reviews/visit_respond.html", {"form": form, "visit": visit})
