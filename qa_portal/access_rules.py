"""Who may see and change user accounts."""

from qa_portal import access
from qa_portal.models import User
from qa_portal.roles import Role


def _visible(user, queryset):
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return queryset
    return queryset.filter(pk=user.pk)


def _can_change(user, obj):
    return user.is_superuser or user.has_role(Role.ADMINISTRATOR)


access.register(User, visible=_visible, can_change=_can_change)
