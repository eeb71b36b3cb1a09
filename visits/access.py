"""Who may see and change visits.

Council staff with the permission see every visit. A provider user sees only their own
organisation's visits, and only once a report has been shared with them. Drafts are
changed by senior leaders and the QA lead; a submitted visit is changed only through its path.
"""

from providers.access import may_see_young_people
from qa_portal import access
from qa_portal.roles import Role
from visits.models import Answer, TemplateQuestion, TemplateSection, Visit, VisitStatus, VisitTemplate


def _visits_visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.shared_with_provider().filter(provider_id=user.provider_id)
    return queryset if user.has_perm("visits.view_visit") else queryset.none()


def _visit_can_change(user, visit):
    return visit.status == VisitStatus.DRAFT and user.has_perm("visits.change_visit")


def _answers_visible(user, queryset):
    return queryset.filter(visit__in=_visits_visible(user, Visit.objects.all()))


def _templates_visible(user, queryset):
    # The template's versions, sections and questions: for those who keep the template.
    return queryset if user.has_perm("visits.view_visittemplate") else queryset.none()


access.register(Visit, visible=_visits_visible, can_change=_visit_can_change)
access.register(Answer, visible=_answers_visible, can_change=lambda user, answer: _visit_can_change(user, answer.visit))


def _template_can_change(user, template):
    # Only a draft changes: visits rely on the published and retired versions (visits.template_versions).
    return template.is_editable and user.has_perm("visits.change_visittemplate")


access.register(VisitTemplate, visible=_templates_visible, can_change=_template_can_change)
access.register(
    TemplateSection,
    visible=_templates_visible,
    can_change=lambda user, section: _template_can_change(user, section.template),
)
access.register(
    TemplateQuestion,
    visible=_templates_visible,
    can_change=lambda user, question: _template_can_change(user, question.section.template),
)


def may_see_young_people_met(user, visit: Visit) -> bool:
    """Whether `user` sees the young people in this visit (those met, the one a child-level
    recommendation is for) by initials and age, on its pages, its report and its forms: whoever may
    see young people anywhere (providers.access.may_see_young_people, a provider user included, in
    the report shared with them), and the visitors who met them: its lead visitor, and whoever may
    write it up while it is a draft (they pick whom they met from those placed there that day).
    Managers and other senior leaders read the report without them."""
    if may_see_young_people(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    return visit.lead_visitor_id == user.pk or _visit_can_change(user, visit)
