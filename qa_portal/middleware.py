"""Middleware of the base: tells each signed-in page how long its session now lasts."""

from django.conf import settings

# The Server-Timing metric that carries the session's remaining life, in milliseconds.
SESSION_TIMING_NAME = "session"


class SessionExpiryMiddleware:
    """Adds `Server-Timing: session;dur=<milliseconds>` to every response that extended a
    signed-in session, so the page's timeout warning (static/js/timeout.js) restarts its clock
    whenever the server's does: after a page load, an autosave, a background fetch or
    "Stay signed in", in this tab or (told through localStorage) another.

    Server-Timing is used, not a header of our own, because the browser shows it to scripts
    for every request the page makes (PerformanceObserver), without wrapping `fetch`.
    The session is extended when SessionMiddleware saves it: on every request while
    SESSION_SAVE_EVERY_REQUEST is on, unless the response is a server error (status 500 or
    more, which it does not save). Must sit after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key or response.status_code >= 500:
            return response
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if not (session.modified or settings.SESSION_SAVE_EVERY_REQUEST):
            return response
        metric = f"{SESSION_TIMING_NAME};dur={session.get_expiry_age() * 1000}"
        existing = response.headers.get("Server-Timing")
        response.headers["Server-Timing"] = f"{existing}, {metric}" if existing else metric
        return response
