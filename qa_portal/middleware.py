"""Sign-in for every page, with forms posted after the session ended held rather than lost; and
held forms put back in their pages after sign-in. How the whole mechanism works: qa_portal.held.
And every signed-in page told how long its session now lasts (for the timeout warning); sessions
ended at their absolute lifetime (qa_portal.session_lifetime); nothing signed in kept in a cache."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import middleware as auth_middleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from qa_portal import held as held_forms
from qa_portal import second_factor, session_lifetime
from qa_portal.models import HeldSubmission
from qa_portal.refill import refill


class ReportingEndpointsMiddleware:
    """Names the endpoint of the Content-Security-Policy's `report-to csp` for the Reporting API:
    `Reporting-Endpoints: csp="/csp-report/"` on every answer carrying the policy (qa_portal.csp_reports).
    Must sit before CSPMiddleware, so that it sees the policy CSPMiddleware has added."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            response.headers.setdefault("Reporting-Endpoints", f'csp="{reverse("csp_report")}"')
        return response


class AccessMiddleware:
    """Reads the signed-in user's roles and permissions in one query before anything asks for them
    (User.load_roles_and_permissions): every page's navigation, and most views, ask for both, which
    Django would read in three. Must sit after AuthenticationMiddleware and OTPMiddleware (which
    wraps the user again)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user.load_roles_and_permissions()
        return self.get_response(request)


class NoStoreMiddleware:
    """Every answer to a signed-in request, page or download, says it must not be stored:
    `Cache-Control: no-store` (with Django's other never-cache directives) and, for old HTTP/1.0
    caches, `Pragma: no-cache`. The portal's pages show children's data, OFFICIAL-SENSITIVE: no copy
    may stay in the browser's cache on a shared computer, or in a proxy. Static files are answered
    by WhiteNoise before this runs and keep their long caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response


class SessionLifetimeMiddleware:
    """Signs out a session that has reached its absolute end (SESSION_ABSOLUTE_HOURS after sign-in)
    before its request goes further, so the request is then treated as any signed-out one: a page
    sends them to sign in, a form they posted is held for them (LoginRequiredMiddleware, below),
    and the sign-in page says why. Must sit after AuthenticationMiddleware and before
    LoginRequiredMiddleware and HeldSubmissionMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            left = session_lifetime.seconds_left(request.session)
            if left is None:
                session_lifetime.start(request.session)
            elif left <= 0:
                session_lifetime.end(request)
        return self.get_response(request)


class LoginRequiredMiddleware(auth_middleware.LoginRequiredMiddleware):
    """Django's: every view needs a signed-in user unless marked @login_not_required. A form posted
    from a signed-out browser (the session ended while they typed) is held for the person last signed
    in there, and sign-in leads back to the page the form was on, where it is put back."""

    def handle_no_permission(self, request, view_func):
        if request.method != "POST":
            return super().handle_no_permission(request, view_func)
        held = held_forms.hold(request, reason=HeldSubmission.Reason.SIGNED_OUT)
        # Not the address posted to: that may answer POST only. The page the form was on.
        target = held_forms.page_url(held) if held else held_forms.form_page(request)
        return redirect_to_login(
            target, resolve_url(self.get_login_url(view_func)), self.get_redirect_field_name(view_func)
        )


class HeldSubmissionMiddleware:
    """On a GET naming a held submission (`?held=`) of the signed-in user, fills the page's form with
    it and says so in a notification banner; then the held submission is deleted. A redirect (the
    page has moved on, say the meeting was recorded meanwhile) passes the name on, and a page without
    the form lists what was kept, so nothing typed is lost without a word."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        held = held_forms.for_request(request)
        response = self.get_response(request)
        if held is None:
            return response
        if response.status_code in (301, 302, 303, 307, 308):
            location = response.get("Location", "")
            if url_has_allowed_host_and_scheme(location, allowed_hosts={request.get_host()}):
                response["Location"] = held_forms.with_held(location, held.pk)
            return response
        if response.status_code != 200 or response.streaming or "text/html" not in response.get("Content-Type", ""):
            return response
        charset = response.charset or "utf-8"
        result = refill(
            response.content.decode(charset),
            page_url=request.get_full_path(),
            post_path=held.path,
            fields=held.fields,
            keep_fresh=frozenset(settings.HELD_SUBMISSION_FRESH_FIELDS),
        )
        banner = render_to_string(
            "components/held_banner.html",
            {"held": held, "found": result.found, "button": result.button, "kept": _kept_values(held)},
            request=request,
        )
        html = result.html[: result.banner_at] + banner + result.html[result.banner_at :]
        response.content = html.encode(charset)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        # The page now holds what they typed: no copy in any cache.
        patch_cache_control(response, no_store=True, private=True)
        held.delete()
        return response


def _kept_values(held: HeldSubmission) -> list[tuple[str, str]]:
    """For a page that no longer has the form: each field's non-empty values, to copy from."""
    fresh = set(settings.HELD_SUBMISSION_FRESH_FIELDS)
    return [
        (name, value) for name, values in held.fields.items() if name not in fresh for value in values if value.strip()
    ]


# The Server-Timing metric that carries the session's remaining life, in milliseconds.
SESSION_TIMING_NAME = "session"


class SessionExpiryMiddleware:
    """Adds `Server-Timing: session;dur=<milliseconds>` to every response that extended a
    signed-in session (or, if it comes sooner, until the session's absolute end, marked
    `;desc="final"`: no activity will extend it, qa_portal.session_lifetime), so the page's
    timeout warning (static/js/timeout.js) restarts its clock
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
        left = session_lifetime.time_left(session)
        metric = f"{SESSION_TIMING_NAME};dur={left.seconds * 1000}" + (';desc="final"' if left.final else "")
        existing = response.headers.get("Server-Timing")
        response.headers["Server-Timing"] = f"{existing}, {metric}" if existing else metric
        return response


class SecondFactorMiddleware:
    """Someone signed in with a password whose role needs a second factor (qa_portal.second_factor)
    and who has not given it this session reaches only the pages that ask for it, the sign-out and
    the public pages: everything else sends them to enter their code (or set up their app), and
    back to where they were going once they have. Must sit after OTPMiddleware and
    LoginRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True) or not getattr(view_func, "second_factor_required", True):
            return None
        if not request.user.is_authenticated or second_factor.is_complete(request):
            return None
        target = request.get_full_path() if request.method == "GET" else held_forms.form_page(request)
        return redirect(f"{reverse('second_factor')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
