"""Who may see and change recommendations.

Staff with the permission see all of them. A provider user sees the recommendations
addressed to their organisation, from reports already shared with them.
"""

from django.db.models import Q

from qa_portal import access
from qa_portal.roles import Role
from reviews.models import Recommendation, ReviewMeeting
from visits.access import SHARED_STATUSES


def _visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.filter(provider_id=user.provider_id).filter(
            Q(visit__isnull=True) | Q(visit__status__in=SHARED_STATUSES)
        )
    return queryset if user.has_perm("reviews.view_recommendation") else queryset.none()


def _can_change(user, recommendation):
    return user.has_perm("reviews.change_recommendation")


access.register(Recommendation, visible=_visible, can_change=_can_change)


def _meetings_visible(user, queryset):
    # Review meetings are the council's own record: never shown to provider users.
    if user.has_role(Role.PROVIDER_USER):
        return queryset.none()
    return queryset if user.has_perm("reviews.view_reviewmeeting") else queryset.none()


access.register(
    ReviewMeeting,
    visible=_meetings_visible,
    can_change=lambda user, meeting: user.has_perm("reviews.change_reviewmeeting"),
)
