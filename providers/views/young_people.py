"""Young people (pseudonymised) and their placements: QA lead, commissioning and social workers only."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from providers import placement_changes
from providers.access import may_see_history
from providers.filters import (
    YOUNG_PERSON_COLUMNS,
    YoungPersonFilterSet,
    add_current_placement,
    with_current_placement,
)
from providers.forms import PlacementForm, YoungPersonForm
from providers.models import Concern, Placement, YoungPerson
from providers.privacy import record_seen
from providers.views.editing import form_page
from qa_portal import access
from qa_portal.history import changes_for
from qa_portal.intentions import one_record_per_intention
from qa_portal.lists import kept_content, paginate

PAGE_SIZE = 50


def _young_personsform_page(request, form, *, heading: str, person: YoungPerson):
    """A form about one young person (their details, or a placement of theirs), filled with their data:
    a read of it, so each showing is in the access log (a form back with its errors too)."""
    record_seen(request, heading, [person.pk], record=person)
    return form_page(request, form, heading=heading, caption=str(person), back_url=person)


@require_GET
@permission_required("providers.view_youngperson", raise_exception=True)
def young_person_list(request):
    """The young people, a page at a time with the filters. Its content (the filters are a GET form: no
    CSRF token) is kept as markup per person, day and query string while no table it was read from is
    written (qa_portal.lists.kept_content); who was seen is logged at every opening."""
    content, shown = kept_content(
        request,
        "young-person-list",
        "providers/_young_person_list_page.html",
        lambda: _young_person_list_context(request),
        code=(__name__, "providers.filters", "providers.access"),
    )
    record_seen(request, "Young people list", shown)
    return render(request, "providers/young_person_list.html", {"content": content})


def _young_person_list_context(request) -> tuple[dict, list[int]]:
    people = access.visible_to(request.user, YoungPerson)
    filterset = YoungPersonFilterSet(request.GET, queryset=people, request=request)
    if filterset.needs_current_placement:
        people = with_current_placement(people)
        filterset = YoungPersonFilterSet(request.GET, queryset=people, request=request)
    page = paginate(request, filterset.qs, PAGE_SIZE)
    page.object_list = list(page.object_list)
    add_current_placement(page.object_list)
    context = {"filterset": filterset, "page": page, "columns": YOUNG_PERSON_COLUMNS}
    return context, [person.pk for person in page]


@require_GET
@permission_required("providers.view_youngperson", raise_exception=True)
def young_person_detail(request, pk):
    """A young person's page: their details, placements, concerns and changes. Its content (no form) is
    kept as markup per person, day and young person while no table it was read from is written
    (qa_portal.lists.kept_content); the access is checked and who was seen logged at every opening."""
    person = access.get_for_user(request.user, YoungPerson, pk=pk)
    record_seen(request, "Young person's page", [person.pk], record=person)
    content, _ = kept_content(
        request,
        "young-person-page",
        "providers/_young_person_page.html",
        lambda: (_young_person_context(request, person.pk), None),
        code=(__name__, "qa_portal.history", "providers.access", "qa_portal.access"),
    )
    return render(request, "providers/young_person_detail.html", {"person": person, "content": content})


def _young_person_context(request, pk: int) -> dict:
    # Read again here, so its table is among those the kept content watches.
    person = YoungPerson.objects.select_related("social_worker", "anonymisation__by").get(pk=pk)
    placements = list(
        access.visible_to(request.user, Placement)
        .filter(young_person=person)
        .select_related("provider", "setting", "stop_confirmed_by")
    )
    context = {
        "person": person,
        "placements": placements,
        "can_change": access.can_change(request.user, person),
        # QA leads record placements (to confirm one despite a stop) without keeping the young person's details.
        "can_add_placement": request.user.has_perm("providers.add_placement"),
        "can_change_placements": request.user.has_perm("providers.change_placement"),
    }
    if request.user.has_perm("providers.view_concern"):
        context["concerns"] = list(
            access.visible_to(request.user, Concern).filter(young_person=person).select_related("provider")
        )
    if may_see_history(request.user, person):
        context["history"] = changes_for(
            [
                (YoungPerson.history.filter(id=person.pk), lambda h: "Young person"),
                (
                    Placement.history.filter(young_person_id=person.pk),
                    lambda h: f"Placement from {h.start_date:%d/%m/%Y}",
                ),
            ],
            limit=20,
        )
    return context


@permission_required("providers.add_youngperson", raise_exception=True)
@one_record_per_intention
def young_person_create(request):
    form = YoungPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.save()
        messages.success(request, f"{person} added")
        return redirect(person)
    return form_page(request, form, heading="Add a young person", back_url="providers:young_person_list")


@permission_required("providers.change_youngperson", raise_exception=True)
def young_person_edit(request, pk):
    person = access.get_for_user(request.user, YoungPerson, pk=pk, change=True)
    form = YoungPersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Details saved")
        return redirect(person)
    return _young_personsform_page(request, form, heading="Edit young person", person=person)


@permission_required("providers.add_placement", raise_exception=True)
@one_record_per_intention
def placement_create(request, pk):
    # Adding a placement needs the placement permission (above), not leave to change the young person's
    # details: a QA lead records one to confirm it despite a placement stop.
    person = access.get_for_user(request.user, YoungPerson, pk=pk)
    form = PlacementForm(request.POST or None, young_person=person, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            placement = form.save()
            placement_changes.placements_changed([placement.provider_id])
        messages.success(request, "Placement added")
        return redirect(person)
    return _young_personsform_page(request, form, heading="Add a placement", person=person)


@permission_required("providers.change_placement", raise_exception=True)
def placement_edit(request, pk):
    placement = access.get_for_user(request.user, Placement.objects.select_related("young_person"), pk=pk, change=True)
    form = PlacementForm(
        request.POST or None, instance=placement, young_person=placement.young_person, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        provider_before = Placement.objects.values_list("provider_id", flat=True).get(pk=placement.pk)
        with transaction.atomic():
            form.save()
            placement_changes.placements_changed([provider_before, placement.provider_id])
        messages.success(request, "Placement saved")
        return redirect(placement.young_person)
    return _young_personsform_page(request, form, heading="Edit placement", person=placement.young_person)
