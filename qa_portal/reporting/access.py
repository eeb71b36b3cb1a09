"""Who may see and make committee reports and their packs: the permission decides (managers and
the QA lead, qa_portal.roles); provider users never. Registered with qa_portal.access at start-up."""

from qa_portal import access
from qa_portal.reporting.committee import PERMISSION
from qa_portal.reporting.models import CommitteePackVersion, CommitteeReport
from qa_portal.roles import Role


def _visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER) or not user.has_perm(PERMISSION):
        return queryset.none()
    return queryset


def _can_change(user, obj) -> bool:
    return not user.has_role(Role.PROVIDER_USER) and user.has_perm(PERMISSION)


access.register(CommitteeReport, visible=_visible, can_change=_can_change)
access.register(CommitteePackVersion, visible=_visible, can_change=_can_change)
