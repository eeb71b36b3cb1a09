"""The visit template editor: the versions, and the draft's sections and questions added, changed,
moved and removed, previewed as a visitor sees them, and published.

For those who keep the template (DOMAIN.md: administrators), by the visits.*template* permissions.
Published and retired versions are shown but never changed: changing one starts a new draft, copied
from the published version (visits.template_versions); visits keep the version they were started on.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from qa_portal import access
from qa_portal.intentions import one_record_per_intention
from visits import template_editing as editing
from visits import template_versions as versions
from visits.models import TemplateQuestion, TemplateSection, TemplateStatus, VisitTemplate
from visits.template_forms import FIRST, PublishForm, SectionPreviewForm, TemplateQuestionForm, TemplateSectionForm

VIEW = "visits.view_visittemplate"

# What the visit pages ask in the special sections besides their questions (visits.forms.SectionForm).
SPECIAL_NOTES = {
    "about": "Also asks for the visit's own details: the date, setting, lead visitor's role, who else came, "
    "how the visit was arranged and why this provider was chosen.",
    "met": "Also asks which young people were met, how many others were spoken to, the staff met and the rooms seen.",
    "views": "Visitors also mark here what a young person asked for, for “You said, we did”.",
    "overall": "Also asks whether this would be good enough for the visitor's own child, and for a summary.",
    "recommendations": "Visitors raise the visit's recommendations here. It has no questions.",
    "provider_response": "The provider writes their comments and actions here once the report is shared with them. "
    "It has no questions.",
}


def _version_url(template, anchor: str = "") -> str:
    url = reverse("visits:template_version", args=[template.pk])
    return f"{url}#{anchor}" if anchor else url


def _refused(request, exc: ValidationError, template):
    """Back to the version's page saying why (the draft was published meanwhile, a special section)."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect(_version_url(template))


def _sections(template) -> list[TemplateSection]:
    questions = Prefetch("questions", queryset=TemplateQuestion.objects.order_by("number"))
    return list(template.sections.order_by("number").prefetch_related(questions))


def _section(request, pk, *, change=True) -> TemplateSection:
    queryset = TemplateSection.objects.select_related("template")
    return access.get_for_user(request.user, queryset, pk=pk, change=change)


def _question(request, pk) -> TemplateQuestion:
    queryset = TemplateQuestion.objects.select_related("section__template")
    return access.get_for_user(request.user, queryset, pk=pk, change=True)


def _form_page(request, form, *, heading, caption, back_url, intro=""):
    context = {"form": form, "heading": heading, "caption": caption, "back_url": back_url, "intro": intro}
    return render(request, "visits/template/form.html", context)


@require_GET
@permission_required(VIEW, raise_exception=True)
def template_list(request):
    templates = access.visible_to(request.user, VisitTemplate).select_related("published_by")
    templates = templates.annotate(number_of_visits=Count("visits"))
    listed = list(templates.order_by("-version"))
    context = {
        "templates": listed,
        "draft": next((t for t in listed if t.status == TemplateStatus.DRAFT), None),
        "published": next((t for t in listed if t.status == TemplateStatus.PUBLISHED), None),
    }
    return render(request, "visits/template/list.html", context)


@require_GET
@permission_required(VIEW, raise_exception=True)
def template_version(request, pk):
    template = access.get_for_user(request.user, VisitTemplate, pk=pk)
    sections = _sections(template)
    editable = access.can_change(request.user, template)
    context = {
        "template": template,
        "sections": sections,
        "editable": editable,
        "visit_count": template.visits.count(),
        "draft": VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).exclude(pk=template.pk).first(),
        "problems": versions.template_publish_problems(template=template) if editable else [],
    }
    for section in sections:
        section.note = SPECIAL_NOTES.get(section.special, "")
        section.may_remove = editing.removal_problem(section) is None
        section.may_have_questions = editing.questions_problem(section) is None
        # What each button is about, for screen readers ("Move up question 3.2").
        section.label = f"section {section.number}, {section.title}"
        for question in section.questions.all():
            question.label = f"question {section.number}.{question.number}"
    return render(request, "visits/template/version.html", context)


@require_POST
@permission_required("visits.add_visittemplate", raise_exception=True)
@one_record_per_intention
def template_start_draft(request):
    existed = VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).exists()
    draft = versions.template_start_draft(by=request.user)
    if existed:
        messages.info(request, f"Version {draft.version} is already a draft: make your changes here.")
    else:
        messages.success(request, f"Version {draft.version} started as a copy of the published version")
    return redirect(_version_url(draft))


@require_GET
@permission_required(VIEW, raise_exception=True)
def template_preview(request, pk, number):
    template = access.get_for_user(request.user, VisitTemplate, pk=pk)
    sections = _sections(template)
    section = next((s for s in sections if s.number == number), None)
    if section is None:
        raise Http404("No such section")
    later = [s for s in sections if s.number > number]
    earlier = [s for s in sections if s.number < number]
    context = {
        "template": template,
        "section": section,
        "sections": sections,
        "next_section": later[0] if later else None,
        "previous_section": earlier[-1] if earlier else None,
        "form": None
        if section.special in ("recommendations", "provider_response")
        else SectionPreviewForm(section=section),
    }
    return render(request, "visits/template/preview.html", context)


@permission_required("visits.change_visittemplate", raise_exception=True)
@one_record_per_intention
def template_publish(request, pk):
    template = access.get_for_user(request.user, VisitTemplate, pk=pk, change=True)
    form = PublishForm(request.POST or None, initial={"notes": template.notes})
    problems = versions.template_publish_problems(template=template)
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            published = versions.template_publish(template=template, by=request.user, notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            return _refused(request, exc, template)
        messages.success(
            request,
            f"Version {published.version} published. New visits use it; visits already started keep their version.",
        )
        return redirect("visits:template_list")
    published = VisitTemplate.objects.filter(status=TemplateStatus.PUBLISHED).first()
    context = {
        "template": template,
        "form": form,
        "problems": problems,
        "published": published,
        "changes": versions.template_changes(old=published, new=template) if published else None,
    }
    return render(request, "visits/template/publish.html", context)


@permission_required("visits.change_visittemplate", raise_exception=True)
def template_discard(request, pk):
    """Ask, then throw the draft away (visits.template_versions.template_discard_draft)."""
    if request.method == "POST" and not VisitTemplate.objects.filter(pk=pk).exists():
        # The button pressed again, or by a second administrator, after the draft went.
        messages.info(request, "That draft was already discarded.")
        return redirect("visits:template_list")
    template = access.get_for_user(request.user, VisitTemplate, pk=pk, change=True)
    if request.method == "POST":
        try:
            versions.template_discard_draft(template=template, by=request.user)
        except ValidationError as exc:
            return _refused(request, exc, template)
        messages.success(request, f"Version {template.version}, the draft, discarded. Nothing else changed.")
        return redirect("visits:template_list")
    published = VisitTemplate.objects.filter(status=TemplateStatus.PUBLISHED).first()
    context = {
        "template": template,
        "published": published,
        "changes": versions.template_changes(old=published, new=template) if published else None,
    }
    return render(request, "visits/template/discard.html", context)


# Sections


@permission_required("visits.add_templatesection", raise_exception=True)
@one_record_per_intention
def section_add(request, pk):
    template = access.get_for_user(request.user, VisitTemplate, pk=pk, change=True)
    sections = _sections(template)
    form = TemplateSectionForm(request.POST or None, sections=sections, submit="Add the section")
    if request.method == "POST" and form.is_valid():
        after = form.cleaned_data["after"]
        try:
            section = editing.template_section_add(
                template=template,
                title=form.cleaned_data["title"],
                guidance=form.cleaned_data["guidance"],
                after=None if after == FIRST else next(s for s in sections if str(s.pk) == after),
                by=request.user,
            )
        except ValidationError as exc:
            return _refused(request, exc, template)
        messages.success(request, f"Section {section.number}, “{section.title}”, added. Now add its questions.")
        return redirect(_version_url(template, f"section-{section.pk}"))
    return _form_page(
        request,
        form,
        heading="Add a section",
        caption=f"Visit template version {template.version}",
        back_url=_version_url(template),
    )


@permission_required("visits.change_templatesection", raise_exception=True)
def section_edit(request, pk):
    section = _section(request, pk)
    form = TemplateSectionForm(
        request.POST or None, initial={"title": section.title, "guidance": section.guidance}, submit="Save the section"
    )
    back = _version_url(section.template, f"section-{section.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            editing.template_section_change(
                section=section,
                title=form.cleaned_data["title"],
                guidance=form.cleaned_data["guidance"],
                by=request.user,
            )
        except ValidationError as exc:
            return _refused(request, exc, section.template)
        messages.success(request, f"Section {section.number}, “{section.title}”, saved")
        return redirect(back)
    return _form_page(
        request,
        form,
        heading=f"Change section {section.number}",
        caption=f"Visit template version {section.template.version}",
        back_url=back,
    )


@permission_required("visits.delete_templatesection", raise_exception=True)
def section_remove(request, pk):
    section = _section(request, pk)
    problem = editing.removal_problem(section)
    if request.method == "POST" and not problem:
        try:
            editing.template_section_remove(section=section, by=request.user)
        except ValidationError as exc:
            return _refused(request, exc, section.template)
        messages.success(request, f"Section {section.number}, “{section.title}”, and its questions removed")
        return redirect(_version_url(section.template))
    context = {
        "what": "section",
        "heading": f"Remove section {section.number}, “{section.title}”?",
        "template": section.template,
        "problem": problem,
        "questions": list(section.questions.order_by("number")),
        "back_url": _version_url(section.template, f"section-{section.pk}"),
    }
    return render(request, "visits/template/remove.html", context)


def _direction(request) -> str:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404("Move up or down")
    return direction


@require_POST
@permission_required("visits.change_templatesection", raise_exception=True)
@one_record_per_intention
def section_move(request, pk):
    section = _section(request, pk)
    direction = _direction(request)
    before = section.number
    try:
        moved = editing.template_section_move(section=section, direction=direction, by=request.user)
    except ValidationError as exc:
        return _refused(request, exc, section.template)
    if moved:
        messages.success(request, f"“{section.title}” moved {direction}: it was section {before}, now {section.number}")
    else:
        messages.info(request, f"“{section.title}” is already the {'first' if direction == 'up' else 'last'} section")
    return redirect(_version_url(section.template, f"section-{section.pk}"))


# Questions


@permission_required("visits.add_templatequestion", raise_exception=True)
@one_record_per_intention
def question_add(request, pk):
    section = _section(request, pk)
    back = _version_url(section.template, f"section-{section.pk}")
    problem = editing.questions_problem(section)
    if problem:
        messages.error(request, problem)
        return redirect(back)
    form = TemplateQuestionForm(request.POST or None, initial={"required": "yes"}, submit="Add the question")
    if request.method == "POST" and form.is_valid():
        try:
            question = editing.template_question_add(section=section, **form.values(), by=request.user)
        except ValidationError as exc:
            return _refused(request, exc, section.template)
        messages.success(request, f"Question {section.number}.{question.number} added to “{section.title}”")
        return redirect(_version_url(section.template, f"question-{question.pk}"))
    return _form_page(
        request,
        form,
        heading="Add a question",
        caption=f"Section {section.number}, {section.title}",
        back_url=back,
    )


@permission_required("visits.change_templatequestion", raise_exception=True)
def question_edit(request, pk):
    question = _question(request, pk)
    section = question.section
    back = _version_url(section.template, f"question-{question.pk}")
    form = TemplateQuestionForm(request.POST or None, question=question, submit="Save the question")
    if request.method == "POST" and form.is_valid():
        try:
            editing.template_question_change(question=question, **form.values(), by=request.user)
        except ValidationError as exc:
            return _refused(request, exc, section.template)
        messages.success(request, f"Question {section.number}.{question.number} saved")
        return redirect(back)
    return _form_page(
        request,
        form,
        heading=f"Change question {section.number}.{question.number}",
        caption=f"Section {section.number}, {section.title}",
        back_url=back,
    )


@permission_required("visits.delete_templatequestion", raise_exception=True)
def question_remove(request, pk):
    question = _question(request, pk)
    section = question.section
    if request.method == "POST":
        try:
            editing.template_question_remove(question=question, by=request.user)
        except ValidationError as exc:
            return _refused(request, exc, section.template)
        messages.success(request, f"Question {section.number}.{question.number}, “{question.text}”, removed")
        return redirect(_version_url(section.template, f"section-{section.pk}"))
    context = {
        "what": "question",
        "heading": f"Remove question {section.number}.{question.number}?",
        "question": question,
        "template": section.template,
        "back_url": _version_url(section.template, f"question-{question.pk}"),
    }
    return render(request, "visits/template/remove.html", context)


@require_POST
@permission_required("visits.change_templatequestion", raise_exception=True)
@one_record_per_intention
def question_move(request, pk):
    question = _question(request, pk)
    section = question.section
    direction = _direction(request)
    before = question.number
    try:
        moved = editing.template_question_move(question=question, direction=direction, by=request.user)
    except ValidationError as exc:
        return _refused(request, exc, section.template)
    if moved:
        messages.success(
            request,
            f"“{question.text}” moved {direction}: it was question {section.number}.{before}, "
            f"now {section.number}.{question.number}",
        )
    else:
        messages.info(
            request,
            f"“{question.text}” is already the {'first' if direction == 'up' else 'last'} question of its section",
        )
    return redirect(_version_url(section.template, f"question-{question.pk}"))
