"""Who may see and change user accounts, and whose notifications and documents each person sees."""

from qa_portal import access
from qa_portal.models import Document, Notification, User
from qa_portal.roles import Role


def _visible(user, queryset):
    if user.has_role(Role.ADMINISTRATOR) or user.is_superuser:
        return queryset
    return queryset.filter(pk=user.pk)


def _can_change(user, obj):
    return user.is_superuser or user.has_role(Role.ADMINISTRATOR)


access.register(User, visible=_visible, can_change=_can_change)


# A notification is its recipient's alone (the jobs page lists failed sends to the QA lead apart).
access.register(
    Notification,
    visible=lambda user, queryset: queryset.filter(recipient=user),
    can_change=lambda user, obj: False,
)


# A document made in the background is for the person who asked for it, and nobody else: it holds
# the rows their access let them see. The download also checks they still hold its kind's permission.
access.register(
    Document,
    visible=lambda user, queryset: queryset.filter(requested_by=user),
    can_change=lambda user, obj: obj.requested_by_id == user.pk,
)
