"""Who may see and change visits.

Council staff with the permission see every visit. A provider user sees only their own
organisation's visits, and only once a report has been shared with them. Drafts are
changed by senior leaders and the QA lead; a submitted visit is changed only through its path.
"""

from qa_portal import access
from qa_portal.roles import Role
from visits.models import Answer, Visit, VisitStatus, VisitTemplate


def _visits_visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.shared_with_provider().filter(provider_id=user.provider_id)
    return queryset if user.has_perm("visits.view_visit") else queryset.none()


def _visit_can_change(user, visit):
    return visit.status == VisitStatus.DRAFT and user.has_perm("visits.change_visit")


def _answers_visible(user, queryset):
    return queryset.filter(visit__in=_visits_visible(user, Visit.objects.all()))


def _templates_visible(user, queryset):
    return queryset if user.has_perm("visits.view_visittemplate") else queryset.none()


access.register(Visit, visible=_visits_visible, can_change=_visit_can_change)
access.register(Answer, visible=_answers_visible, can_change=lambda user, answer: _visit_can_change(user, answer.visit))
access.register(
    VisitTemplate,
    visible=_templates_visible,
    can_change=lambda user, template: template.is_editable and user.has_perm("visits.change_visittemplate"),
)
