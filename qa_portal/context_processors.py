from django.conf import settings
from django.utils.functional import SimpleLazyObject

from qa_portal import navigation, second_factor, session_lifetime
from qa_portal.models import Notification


def _unread_notifications(request, user):
    """The header's count of unread notifications: counted when a template first shows it, once a
    request (a page whose parts are rendered apart, as the provider page's panels are, runs the
    context processors for each part, and only the page's header shows it)."""
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = SimpleLazyObject(
            lambda: Notification.objects.filter(recipient=user).unread().count()
        )
    return request._unread_notifications


def portal(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    # Password given, code not yet: no way into the portal is offered but signing out.
    # (A request the worker rebuilt to make a document has no session, and no pages to offer.)
    pending = signed_in and hasattr(request, "session") and not second_factor.is_complete(request)
    nav_items = navigation.items_for(user, request.path) if user is not None and not pending else []
    return {
        "second_factor_pending": pending,
        "unread_notifications": _unread_notifications(request, user) if signed_in and not pending else 0,
        "authority_name": settings.AUTHORITY_NAME,
        "service_name": settings.SERVICE_NAME,
        "nav_items": nav_items,
        "sub_navigation": navigation.sub_navigation(nav_items, request.path),
        # For the timeout warning (static/js/timeout.js): the idle limit and how long before it
        # to warn, in seconds: never before half the idle limit has passed, or with a short limit
        # the dialog would open at once, and again as soon as "Stay signed in" was pressed.
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": min(settings.SESSION_TIMEOUT_WARNING_SECONDS, settings.SESSION_COOKIE_AGE // 2),
        # And the absolute limit, for the warning before it: "12 hours".
        "session_lifetime": session_lifetime.lifetime_words(),
    }
