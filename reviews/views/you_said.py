""" "You said, we did" (issue 17): marking what a young person asked for on a visit, the lists of what
was done about it, and the letter for the young person.

Marks are made on the visit's section of young people's views (templates/visits/_you_said.html lists
them there) while the visit is a draft, by those who write it up. The lists name no young person
(reviews.you_said); the letter names only what its young person said and what was done about it."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from providers.models import Provider, YoungPerson
from providers.privacy import record_listed, record_seen
from qa_portal import access
from qa_portal.audit.models import AccessAction
from qa_portal.intentions import one_record_per_intention
from qa_portal.lists import paginate
from qa_portal.pdf import render_pdf_checked, tell_of_unshown_characters
from reviews import services
from reviews.models import YouSaid
from reviews.you_said import as_pairs, letter_items, you_said_we_did
from reviews.you_said_forms import YouSaidForm
from visits import services as visit_services
from visits.access import may_see_young_people_met
from visits.models import Visit

LETTER_TEMPLATE = "reviews/you_said_letter_pdf.html"
# Pairs a page of the lists shows: a consortium's years of visits make thousands (issue 15: pages of
# rows, only the rows shown worked out).
PAIRS_PER_PAGE = 25


def _views_section(visit) -> int:
    """The number of the visit's section of young people's views (4 in the default template)."""
    numbers = visit.template.sections.filter(special="views").values_list("number", flat=True)
    return numbers.first() or 4


def _back_to_views(visit):
    return redirect("visits:section", pk=visit.pk, number=_views_section(visit))


def _form_page(request, form, visit, heading, *, conflict=None):
    record_listed(request, form, f"{heading}: {visit}", record=visit)
    answers = visit.answers.filter(question__section__special="views").select_related("question")
    context = {
        "form": form,
        "heading": heading,
        "visit": visit,
        "answers": [answer for answer in answers.order_by("question__number") if not answer.is_blank],
        "conflict": conflict,
        "back_url": f"{visit.get_absolute_url()}sections/{_views_section(visit)}/",
    }
    return render(request, "reviews/you_said_form.html", context)


@require_http_methods(["GET", "POST"])
@one_record_per_intention
def you_said_add(request, pk):
    """Mark something a young person met on the visit asked for (a draft visit's writers only)."""
    visit = access.get_for_user(request.user, Visit.objects.select_related("provider", "template"), pk=pk, change=True)
    form = YouSaidForm(request.POST or None, visit=visit)
    if request.method == "POST" and form.is_valid():
        try:
            services.you_said_save(mark=form.instance, by=request.user)
        except visit_services.VisitStepRefused as exc:
            messages.error(request, str(exc))
            return redirect(visit)
        messages.success(request, "Marked as something a young person asked for")
        return _back_to_views(visit)
    return _form_page(request, form, visit, "Mark something a young person asked for")


def _mark(request, pk) -> YouSaid:
    mark = access.get_for_user(request.user, YouSaid.objects.select_related("visit__provider", "updated_by"), pk=pk)
    if not access.can_change(request.user, mark):
        raise PermissionDenied("What young people asked for is changed while the visit is a draft, by its writers.")
    return mark


@require_http_methods(["GET", "POST"])
def you_said_edit(request, pk):
    """Change a mark. A colleague's change saved since the form was opened is shown beside the
    visitor's text, which stays in the box; saving again keeps the visitor's version."""
    mark = _mark(request, pk)
    visit = mark.visit
    form = YouSaidForm(request.POST or None, instance=mark, visit=visit)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.you_said_save(mark=form.instance, by=request.user, base=form.cleaned_data["base"])
        except services.YouSaidChanged as changed:
            conflict = changed.theirs
            when = timezone.localtime(conflict.updated_at).strftime("%H:%M on %d/%m/%Y")
            form.add_error(
                "said",
                f"{conflict.updated_by.full_name} changed this at {when} while you were writing. Yours is still "
                "in the box and has not been saved: save again to keep yours, or go back to keep theirs.",
            )
            data = form.data.copy()
            data["base"] = conflict.updated_at.isoformat()
            form.data = data
        except visit_services.VisitStepRefused as exc:
            messages.error(request, str(exc))
            return redirect(visit)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Saved what the young person asked for")
            return _back_to_views(visit)
    return _form_page(request, form, visit, "Change what a young person asked for", conflict=conflict)


@require_http_methods(["GET", "POST"])
def you_said_remove(request, pk):
    """Take a mark off a draft visit, after a confirmation (a recommendation raised from it stays)."""
    mark = _mark(request, pk)
    visit = mark.visit
    if request.method == "POST":
        try:
            services.you_said_remove(mark=mark, by=request.user)
        except visit_services.VisitStepRefused as exc:
            messages.error(request, str(exc))
            return redirect(visit)
        messages.success(request, "No longer marked as something a young person asked for")
        return _back_to_views(visit)
    record_seen(request, f"Remove what a young person asked for: {visit}", [mark.young_person_id], record=visit)
    context = {
        "mark": mark,
        "visit": visit,
        "linked": list(mark.recommendations.all()),
        "back_url": f"{visit.get_absolute_url()}sections/{_views_section(visit)}/",
    }
    return render(request, "reviews/you_said_remove.html", context)


@require_GET
def you_said_list(request):
    """Every provider's "You said, we did" that the user may see, naming no young person."""
    if not request.user.is_provider_user and not request.user.has_perm("reviews.view_recommendation"):
        raise PermissionDenied("You cannot see the recommendation tracker.")
    context = {**_page_of_pairs(request, you_said_we_did(request.user)), "provider": None}
    if request.user.is_provider_user:
        context["provider"] = request.user.provider
    return render(request, "reviews/you_said_list.html", context)


def _page_of_pairs(request, recommendations) -> dict:
    """The page `?page=` asks for of `recommendations` (you_said_we_did), and its pairs: only the
    recommendations on it are read and made into pairs."""
    page = paginate(request, recommendations, PAIRS_PER_PAGE)
    return {"page": page, "pairs": as_pairs(page.object_list)}


@require_GET
def provider_you_said(request, pk):
    """One provider's "You said, we did": for council staff who see the tracker, and the provider's own
    users (only what is addressed to them: reviews.access); anyone else's provider is not found."""
    user = request.user
    if user.is_provider_user:
        if user.provider_id != pk:
            raise Http404("No such provider")
        provider = get_object_or_404(Provider, pk=pk)
    else:
        if not user.has_perm("reviews.view_recommendation"):
            raise PermissionDenied("You cannot see the recommendation tracker.")
        provider = access.get_for_user(user, Provider, pk=pk)
    context = {**_page_of_pairs(request, you_said_we_did(user, provider=provider)), "provider": provider}
    context["one_provider"] = True
    return render(request, "reviews/you_said_list.html", context)


@require_GET
@never_cache  # names a young person: no copy is kept in browser or proxy caches
def you_said_letter(request, pk, person_pk):
    """The letter for one young person met on the visit: what they asked for and what was done, in
    plain English and large type, on one page. Printed by council staff who may see the young people
    met (visits.access.may_see_young_people_met); never a provider user."""
    user = request.user
    if user.is_provider_user:
        raise Http404("No such letter")
    visit = access.get_for_user(user, Visit.objects.select_related("provider", "setting", "lead_visitor"), pk=pk)
    if not may_see_young_people_met(user, visit):
        raise PermissionDenied("Letters are printed by those who may see the young people met.")
    person = get_object_or_404(YoungPerson, pk=person_pk, visits_met=visit)
    context = {
        "visit": visit,
        "person": person,
        "items": letter_items(visit, person),
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
    }
    rendered = render_pdf_checked(LETTER_TEMPLATE, context)
    tell_of_unshown_characters(request, rendered, document="The letter (PDF)")
    record_seen(request, f"Letter to a young person met: {visit}", [person.pk], action=AccessAction.DOWNLOADED)
    response = HttpResponse(rendered.content, content_type="application/pdf")
    filename = f"you-said-we-did-{slugify(visit.provider.name) or 'provider'}-{visit.date:%Y-%m-%d}-{person.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
