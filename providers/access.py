"""Who may see and change providers: provider users only their own organisation."""

from providers.models import Provider
from qa_portal import access
from qa_portal.roles import Role


def _visible(user, queryset):
    if user.has_role(Role.PROVIDER_USER):
        return queryset.filter(pk=user.provider_id)
    if user.has_perm("providers.view_provider"):
        return queryset
    return queryset.none()


def _can_change(user, obj):
    return user.has_perm("providers.change_provider")


access.register(Provider, visible=_visible, can_change=_can_change)
