"""The signed-in session: "Stay signed in" from the timeout warning."""

from datetime import timedelta

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST


@never_cache
@require_POST
def session_extend(request):
    """Keeps the person signed in for another idle period (SESSION_COOKIE_AGE seconds).

    Answers JSON `{"expires_at": ISO 8601 datetime, "expires_in": seconds}`. The session is
    saved, and so extended, by SessionMiddleware on the way out; marking it modified makes
    that so even without SESSION_SAVE_EVERY_REQUEST. Signed out (the session already ended),
    LoginRequiredMiddleware answers with a redirect to sign in instead, which the page's
    script takes as "go to the sign-in page"; a GET is refused with 405.
    """
    request.session.modified = True
    seconds = request.session.get_expiry_age()
    expires_at = timezone.now() + timedelta(seconds=seconds)
    return JsonResponse({"expires_at": expires_at.isoformat(), "expires_in": seconds})
