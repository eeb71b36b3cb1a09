"""Who may see and change recommendations and review meetings, and who may take which step on a
recommendation.

Staff with the permission see all recommendations. A provider user sees the recommendations
addressed to their organisation, from reports already shared with them.
"""

from django.db.models import Q

from qa_portal import access
from qa_portal.roles import Role
from reviews.models import Recommendation, ReviewMeeting
from visits.models import SHARED_STATUSES


def _visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.filter(provider_id=user.provider_id).filter(
            Q(visit__isnull=True) | Q(visit__status__in=SHARED_STATUSES)
        )
    return queryset if user.has_perm("reviews.view_recommendation") else queryset.none()


def _can_change(user, recommendation):
    return user.has_perm("reviews.change_recommendation")


access.register(Recommendation, visible=_visible, can_change=_can_change)


def may_change(user, recommendation: Recommendation) -> bool:
    """May complete it or record it as not accepted: its owner, and staff who change recommendations
    (the QA lead, commissioning officers, senior leaders). Never a provider user: they answer on
    their own page."""
    if user.is_provider_user:
        return False
    return recommendation.owner_id == user.pk or access.can_change(user, recommendation)


def may_record_progress(user, recommendation: Recommendation) -> bool:
    """May record progress on it: whoever may change it, and social workers (staff who add
    progress) on the actions flagged to them (RecommendationQuerySet.flagged_to)."""
    if may_change(user, recommendation):
        return True
    return (
        not user.is_provider_user
        and user.has_perm("reviews.add_progressupdate")
        and Recommendation.objects.flagged_to(user).filter(pk=recommendation.pk).exists()
    )


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
