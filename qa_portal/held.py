"""Forms posted when they could not be saved are held, not lost, and given back to their author.

A form can arrive when it cannot be saved: the session ended while the person was typing (the
portal signs people out after `SESSION_IDLE_MINUTES` idle, shorter than a review meeting, and
`SESSION_ABSOLUTE_HOURS` after sign-in however busy: qa_portal.session_lifetime), or the
page's security (CSRF) token went out of date because they signed in again in another tab. Then:

1. The posted fields are held server-side for `HELD_SUBMISSION_MINUTES` (a `HeldSubmission`), for
   the person whose browser posted them: the signed-in user, or, once the session is gone, the user
   named by the long-lived signed cookie set at sign-in (`remember_user`). Files cannot be held: their
   field names are kept so the page can say so. Passwords and the CSRF token are never kept.
   This happens in two places, one mechanism for every form page: the login-required redirect
   (`qa_portal.middleware.LoginRequiredMiddleware`, the session ended but the token was still good)
   and the CSRF failure view (`qa_portal.views.errors.csrf_failure`, the token was out of date).
2. The person is sent to the page the form was on with `?held=<id>`: through the sign-in page if
   they are signed out (which says why they are there, `sign_in_notice`), straight back if not.
3. `qa_portal.middleware.HeldSubmissionMiddleware` renders that page as usual and fills the form
   that posts where the held one was posted with the held values (`qa_portal.refill`), with a banner
   asking them to check and save it. Nothing is saved behind their back; the held row is deleted
   once given back, and only ever given back to the user it was held for.

Expired rows are never given back and are deleted by beat's hourly `delete_expired_held_submissions`.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from qa_portal import second_factor, session_lifetime
from qa_portal.inputs.text import NEVER_STORED
from qa_portal.models import HeldSubmission, User
from qa_portal.wording import count_of

HELD_PARAM = "held"
IDENTITY_COOKIE = "qa_portal_user"
_IDENTITY_SALT = "qa_portal.held.identity"
_IDENTITY_MAX_AGE = 60 * 60 * 24 * 365
# Never kept: the token is the one that failed or belongs to the old session; passwords are
# never written to the database.
_NEVER_HELD = {"csrfmiddlewaretoken"}
_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
# However many forms one browser posts while signed out, a person has at most this many held.
_MOST_HELD_PER_USER = 20


def remember_user(response, user, *, signed_in: bool = True) -> None:
    """Name `user` in a long-lived signed cookie on `response`, so a form posted from this browser
    after their session has ended can be held for them. `signed_in=False` once they sign out
    themselves: the sign-in page then does not claim they were signed out for being idle."""
    response.set_signed_cookie(
        IDENTITY_COOKIE,
        f"{user.pk}:{'in' if signed_in else 'out'}",
        salt=_IDENTITY_SALT,
        max_age=_IDENTITY_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@dataclass(frozen=True)
class Remembered:
    user_id: int
    signed_out_themselves: bool


def remembered(request) -> Remembered | None:
    """Who last signed in with this browser, from the signed cookie; None if no one did or the
    cookie has been tampered with."""
    try:
        value = request.get_signed_cookie(IDENTITY_COOKIE, salt=_IDENTITY_SALT)
        user_id, state = value.split(":")
        return Remembered(user_id=int(user_id), signed_out_themselves=state == "out")
    except (KeyError, ValueError, signing.BadSignature):
        return None


def _is_form_post(request) -> bool:
    # A form a person submitted from one of our pages: not a script's fetch (autosave sends JSON)
    # and not a cross-site post (browsers say so in Sec-Fetch-*; the cookies are SameSite=Lax too).
    return (
        request.method == "POST"
        and request.content_type in _FORM_TYPES
        and request.headers.get("Sec-Fetch-Mode", "navigate") == "navigate"
        and request.headers.get("Sec-Fetch-Site", "same-origin") in {"same-origin", "none"}
    )


def _needs_sign_in(request) -> bool:
    # Public pages (sign in, password reset) are never held: there is nothing typed to lose but a
    # password, and nobody to give it back to.
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return False
    return getattr(view, "login_required", True)


def _may_hold(name: str) -> bool:
    return name not in _NEVER_HELD and "password" not in name.lower()


def with_held(url: str, held_id: str | None) -> str:
    """`url` (a path with its query) with the `held` parameter set to `held_id`, or removed if None."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != HELD_PARAM]
    if held_id:
        query.append((HELD_PARAM, held_id))
    return urlunsplit(parts._replace(query=urlencode(query)))


def form_page(request) -> str:
    """The page a posted form was on (path and query): the Referer when it is one of our own pages
    other than sign-in, else the address it was posted to (our forms post to the page that shows them)."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        page = with_held(urlunsplit(("", "", parts.path, parts.query, "")), None)
        # A path such as //elsewhere.example/ would leave the site when redirected to.
        stays_here = page.startswith("/") and url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()})
        if stays_here and parts.path != resolve_url(settings.LOGIN_URL):
            return page
    return with_held(request.get_full_path(), None)


def hold(request, *, reason: HeldSubmission.Reason) -> HeldSubmission | None:
    """Keep what `request` posted for the person whose browser posted it, for HELD_SUBMISSION_MINUTES.

    Returns the new HeldSubmission, or None when there is nothing to keep or no one to keep it for:
    not a form posted from one of our pages, no field with a value, or a signed-out browser in which
    no active user has signed in (the identity cookie is missing or not ours), or a page anyone may
    use (sign-in, password reset). Fields are kept as
    {name: [values]} without the CSRF token or any password; file fields only by name."""
    if not _is_form_post(request) or not _needs_sign_in(request):
        return None
    if request.user.is_authenticated:
        user_id = request.user.pk
    else:
        who = remembered(request)
        if who is None or not User.objects.active().filter(pk=who.user_id).exists():
            return None
        user_id = who.user_id
    try:
        # NUL can never be stored (PostgreSQL refuses it, in JSON too): the form it is put back in
        # would have taken it out anyway (qa_portal.inputs.forms).
        fields = {
            NEVER_STORED.sub("", name): [NEVER_STORED.sub("", value) for value in values]
            for name, values in request.POST.lists()
            if _may_hold(name)
        }
        files = sorted(name for name in request.FILES if _may_hold(name))
    except (RequestDataTooBig, TooManyFieldsSent, UnreadablePostError, MultiPartParserError):
        return None  # a body Django refuses to read is not one to keep
    if not files and not any(value.strip() for values in fields.values() for value in values):
        return None
    now = timezone.now()
    HeldSubmission.objects.expired().delete()
    held = HeldSubmission.objects.create(
        id=secrets.token_urlsafe(24),
        user_id=user_id,
        reason=reason,
        path=request.path[:500],
        page=form_page(request)[:1000],
        fields=fields,
        files=files,
        created_at=now,
        expires=now + timedelta(minutes=settings.HELD_SUBMISSION_MINUTES),
    )
    older = HeldSubmission.objects.filter(user_id=user_id).values_list("pk", flat=True)[_MOST_HELD_PER_USER:]
    HeldSubmission.objects.filter(pk__in=list(older)).delete()
    return held


def page_url(held: HeldSubmission) -> str:
    """Where to send its author to get it back: the form's page, naming the held submission."""
    return with_held(held.page, held.pk)


def for_request(request) -> HeldSubmission | None:
    """The held submission named by `?held=` in a GET, if it is still live and belongs to the signed-in
    user; None otherwise (another person signed in in that browser never gets it)."""
    held_id = request.GET.get(HELD_PARAM)
    if request.method != "GET" or not held_id or not request.user.is_authenticated:
        return None
    if not second_factor.is_complete(request):
        return None  # not theirs until sign-in is complete: the code page must not take it
    return HeldSubmission.objects.live().filter(pk=held_id, user=request.user).first()


def latest_for(user) -> HeldSubmission | None:
    """The user's newest live held submission, to go back to after a sign-in that was not sent
    anywhere in particular (they closed the sign-in page and came back)."""
    return HeldSubmission.objects.live().filter(user=user).first()


def sign_in_notice(request, next_url: str) -> str | None:
    """Why someone is on the sign-in page, or None on a plain visit.

    Said when they were sent there from a page (`next_url`) in a browser where someone had signed in
    and had not signed out themselves: their session ended for being idle. It also says whether what
    they typed has been kept (next_url names a live held submission of the person last signed in).
    A session that reached its absolute lifetime (qa_portal.session_lifetime) is said to have ended
    for that, with or without `next_url`."""
    who = remembered(request)
    lifetime_ended = session_lifetime.ended_here(request)
    if not lifetime_ended and (not next_url or who is None):
        return None
    held_id = dict(parse_qsl(urlsplit(next_url).query)).get(HELD_PARAM) if next_url else None
    kept = (
        who is not None
        and bool(held_id)
        and HeldSubmission.objects.live().filter(pk=held_id, user_id=who.user_id).exists()
    )
    minutes = count_of(settings.SESSION_IDLE_MINUTES, "minute")
    if kept:
        if lifetime_ended:
            why = session_lifetime.reason()
        elif who.signed_out_themselves:
            why = "You had signed out."
        else:
            why = f"You were signed out because you had not used the portal for {minutes}."
        return (
            f"{why} What you typed has been kept: "
            "sign in and it will be put back in the form for you to check and save."
        )
    if lifetime_ended:
        back = "Sign in to go back to the page you were on." if next_url else "Sign in again to carry on."
        return f"{session_lifetime.reason()} {back}"
    if who.signed_out_themselves:
        return None
    return (
        f"Your session ended because you had not used the portal for {minutes}. "
        "Sign in to go back to the page you were on."
    )


def delete_expired() -> int:
    """Delete held submissions past their time; returns how many."""
    deleted, _ = HeldSubmission.objects.expired().delete()
    return deleted
