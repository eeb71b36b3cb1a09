from django.conf import settings

from qa_portal import navigation


def portal(request):
    return {
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
        "nav_items": navigation.items_for(request.user, request.path) if hasattr(request, "user") else [],
    }
