"""The visit list, planning a visit, and a visit's own page."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from providers.case_record_notes import may_see_case_record_notes
from providers.privacy import record_seen
from qa_portal import access
from qa_portal.history import changes_for
from qa_portal.intentions import one_record_per_intention
from qa_portal.lists import kept_content, paginate
from visits import services
from visits.access import may_see_young_people_met
from visits.case_record_notes import case_records_to_do
from visits.filters import VISIT_COLUMNS, VisitFilterSet
from visits.forms import VisitPlanForm
from visits.models import Answer, SectionProgress, TemplateQuestion, Visit, VisitEvent, VisitReason, VisitStatus
from visits.selectors import section_progress, visit_reasons, visit_with_report_data

PAGE_SIZE = 25


@require_GET
def visit_list(request):
    """The visits the person may see, a page at a time with the filters. Its content (the filters are a
    GET form: no CSRF token) is kept as markup per person, day and query string while no table it was
    read from is written (qa_portal.lists.kept_content); it names no young person."""
    # Staff with the visit permission, and provider users (their own shared reports, by the access rule).
    if not (request.user.is_provider_user or request.user.has_perm("visits.view_visit")):
        raise PermissionDenied("You cannot see QA visits.")
    content, _ = kept_content(
        request,
        "visit-list",
        "visits/_visit_list_page.html",
        lambda: (_visit_list_context(request), None),
        code=(__name__, "visits.filters", "visits.access"),
    )
    return render(request, "visits/visit_list.html", {"content": content})


def _visit_list_context(request) -> dict:
    visits = access.visible_to(request.user, Visit).select_related("provider", "setting", "lead_visitor")
    filterset = VisitFilterSet(request.GET, queryset=visits, request=request)
    return {"filterset": filterset, "page": paginate(request, filterset.qs, PAGE_SIZE), "columns": VISIT_COLUMNS}


@permission_required("visits.add_visit", raise_exception=True)
@one_record_per_intention
def visit_plan(request):
    initial = {"lead_visitor": request.user.pk, "lead_visitor_role": request.user.job_title}
    if request.GET.get("provider", "").isdigit():
        initial["provider"] = int(request.GET["provider"])
    # "Plan the visit" from another page (the response to an Inadequate judgement, which provider to
    # visit next) fills in the setting, the day and why; the form checks them as if typed.
    if request.GET.get("setting", "").isdigit():
        initial["setting"] = int(request.GET["setting"])
    try:
        planned = parse_date(request.GET.get("planned_date", "")[:10])
    except ValueError:
        planned = None
    if planned:
        initial["planned_date"] = planned
    reasons = [reason for reason in request.GET.getlist("reasons") if reason in VisitReason.values]
    if reasons:
        initial["reasons"] = reasons
    # "Plan a visit" from "Which provider to visit next" says in words the reasons the form has no box
    # for ("Not visited since 3 March 2025; High risk rating"); too long, it is cut for the visitor to edit.
    if VisitReason.OTHER in reasons and request.GET.get("reason_other", "").strip():
        initial["reason_other"] = request.GET["reason_other"].strip()[:300]
    form = VisitPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visit = services.visit_plan(
            visit=Visit(
                provider=data["provider"],
                setting=data.get("setting"),
                planned_date=data["planned_date"],
                lead_visitor=data["lead_visitor"],
                lead_visitor_role=data["lead_visitor_role"],
                others_present=data.get("others_present", ""),
                young_inspectors=data.get("young_inspectors") or 0,
                how_arranged=data["how_arranged"],
                reasons=data["reasons"],
                reason_other=data.get("reason_other", ""),
            ),
            by=request.user,
        )
        messages.success(request, f"Visit to {visit.provider} planned for {visit.planned_date:%-d %B %Y}")
        return redirect(visit)
    return render(request, "visits/plan.html", {"form": form})


@require_GET
def visit_detail(request, pk):
    """A visit's page: its path, its report's sections, its recommendations and what is left to do. Its
    content is kept as markup per person, day and visit while no table it was read from is written
    (qa_portal.lists.kept_content; its two buttons that post carry this request's CSRF token, put in at
    every opening); the access is checked and who was seen logged at every opening."""
    visit = access.get_for_user(request.user, Visit.objects.select_related("provider"), pk=pk)
    content, shown = kept_content(
        request,
        "visit-page",
        "visits/_visit_page.html",
        lambda: _visit_context(request, visit.pk),
        code=(__name__, "visits.selectors", "visits.services", "visits.access", "visits.case_record_notes"),
        posts=True,
    )
    record_seen(request, f"Visit page: {visit}", shown, record=visit)
    return render(request, "visits/visit_detail.html", {"visit": visit, "content": content})


def _visit_context(request, pk: int) -> tuple[dict, list[int]]:
    # Read again here, so its tables are among those the kept content watches.
    visit = access.get_for_user(request.user, visit_with_report_data(Visit.objects.all()), pk=pk)
    user = request.user
    progress = section_progress(visit)
    # Through the access rules: a provider user sees only those addressed to them (reviews.access).
    recommendations = list(
        access.visible_to(user, visit.recommendations.all()).select_related("young_person", "owner").order_by("pk")
    )
    young_people_shown = may_see_young_people_met(user, visit)
    # Which young people's case records still need their note (visits.case_record_notes), once the report is
    # final: by initials to those who may see the notes, as a count to the other staff, not to the provider.
    notes = {}
    if visit.status == VisitStatus.FINALISED and not user.is_provider_user:
        to_do, recorded = case_records_to_do(visit)
        notes = {
            "notes_to_do": to_do,
            "notes_recorded": recorded,
            "notes_total": len(to_do) + len(recorded),
            "notes_shown": may_see_case_record_notes(user),
        }
    shown = [rec.young_person_id for rec in recommendations] if young_people_shown else []
    if notes.get("notes_shown"):
        shown += [person.pk for person in notes["notes_to_do"]] + [e.young_person_id for e in notes["notes_recorded"]]
    can_change = access.can_change(user, visit)
    context = {
        "visit": visit,
        "sections": [(section, progress.get(section.number)) for section in visit.template.sections.all()],
        "completed": sum(status == SectionProgress.COMPLETED for status in progress.values()),
        "counted": len(progress),
        "reasons": visit_reasons(visit),
        "recommendations": recommendations,
        "young_people_shown": young_people_shown,
        "can_change": can_change,
        # Its writer sees the write-up first, as a task list ending in "Check your answers and submit".
        "writing": visit.status == VisitStatus.DRAFT and can_change,
        "is_provider_user": user.is_provider_user,
        "today": timezone.localdate(),
        "steps_open": services.steps_open(visit),
        **notes,
    }
    if user.is_provider_user and visit.status in (VisitStatus.RESPONDED, VisitStatus.FINALISED):
        # Who of the provider's people responded last, and when, for "what happens next".
        context["responded"] = (
            visit.events.filter(step=VisitEvent.Step.RESPONDED).select_related("by").order_by("-at", "-pk").first()
        )
    if context["writing"]:
        context["missing"] = services.missing_for_submission(visit)
    return context, [person for person in shown if person is not None]


@require_GET
@permission_required("providers.view_change_history", raise_exception=True)
def visit_history(request, pk):
    visit = access.get_for_user(request.user, Visit, pk=pk)
    questions = dict(TemplateQuestion.objects.filter(section__template=visit.template).values_list("pk", "text"))
    history = changes_for(
        [
            (Visit.history.filter(id=visit.pk), lambda h: "Visit"),
            (
                Answer.history.filter(visit_id=visit.pk),
                lambda h: f"Answer to '{questions.get(h.question_id, 'a question')}'",
            ),
        ]
    )
    page = Paginator(history, 50).get_page(request.GET.get("page"))
    return render(request, "visits/visit_history.html", {"visit": visit, "page": page})
