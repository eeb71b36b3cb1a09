from django.conf import settings

from qa_portal import navigation
from qa_portal.models import Notification


def portal(request):
    user = getattr(request, "user", None)
    unread = (
        Notification.objects.filter(recipient=user).unread().count()
        if user is not None and user.is_authenticated
        else 0
    )
    return {
        "unread_notifications": unread,
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
        "nav_items": navigation.items_for(request.user, request.path) if hasattr(request, "user") else [],
    }
