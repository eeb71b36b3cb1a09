"""The signed-in session: "Stay signed in" from the timeout warning."""

from datetime import timedelta

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from qa_portal import session_lifetime


@never_cache
@require_POST
def session_extend(request):
    """Keeps the person signed in for another idle period (SESSION_COOKIE_AGE seconds), or until
    the session's absolute end if that comes sooner (qa_portal.session_lifetime).

    Answers JSON `{"expires_at": ISO 8601 datetime, "expires_in": seconds, "final": bool}`, `final`
    when the absolute end is the one that counts (staying active will not extend it). The session is
    saved, and so extended, by SessionMiddleware on the way out; marking it modified makes
    that so even without SESSION_SAVE_EVERY_REQUEST. Signed out (the session already ended),
    LoginRequiredMiddleware answers with a redirect to sign in instead, which the page's
    script takes as "go to the sign-in page"; a GET is refused with 405.
    """
    request.session.modified = True
    left = session_lifetime.time_left(request.session)
    expires_at = timezone.now() + timedelta(seconds=left.seconds)
    return JsonResponse({"expires_at": expires_at.isoformat(), "expires_in": left.seconds, "final": left.final})
