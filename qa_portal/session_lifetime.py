"""A signed-in session ends a fixed time after sign-in, however busy it is (OWASP ASVS 3.3.3/3.3.4).

Besides the idle limit (`SESSION_IDLE_MINUTES`, kept by Django's session expiry), a session lasts at
most `SESSION_ABSOLUTE_SECONDS` (`SESSION_ABSOLUTE_HOURS`, 12 by default) from the sign-in that
began it: a session taken from an unlocked computer or a stolen cookie cannot be kept alive for ever
by using it. How it fits the rest:

- The moment of sign-in is written into the session by `record_sign_in`, connected to Django's
  `user_logged_in` signal, so every way of signing in (the sign-in page, the admin, single sign-on,
  a test's `force_login`) starts the clock.
- `qa_portal.middleware.SessionLifetimeMiddleware` signs out a session past its end on its next
  request (`end`), and the request then goes on signed out: a page sends the person to sign in, a
  form they posted is held for them (qa_portal.held) just as after the idle limit, and the sign-in
  page says why they are there (`ended_here`, read by `qa_portal.held.sign_in_notice`).
- The timeout warning (static/js/timeout.js) counts down to whichever end comes first: the
  Server-Timing metric and "Stay signed in" carry `time_left`, which says so when it is this one.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import logout
from django.utils import timezone

from qa_portal import wording

# Session keys: when its user signed in (seconds since the epoch), and, in the fresh session left
# after `end`, that the last one ended for its age.
SIGNED_IN_AT = "qa_portal_signed_in_at"
ENDED = "qa_portal_lifetime_ended"


def record_sign_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: start the session's clock now."""
    session = getattr(request, "session", None)
    if session is not None:
        start(session)
        session.pop(ENDED, None)


def start(session) -> None:
    """Count the session's lifetime from now. Also used for a session signed in before the limit
    existed, which has no sign-in time: it gets the whole lifetime from its next request."""
    session[SIGNED_IN_AT] = timezone.now().timestamp()


def seconds_left(session) -> float | None:
    """Seconds until `session` reaches its absolute end (negative once past it); None if it records
    no sign-in (a signed-out session, or one from before the limit)."""
    signed_in_at = session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int | float):
        return None
    return signed_in_at + settings.SESSION_ABSOLUTE_SECONDS - timezone.now().timestamp()


@dataclass(frozen=True)
class TimeLeft:
    seconds: int
    # True when the absolute end comes before the idle one: staying active will not extend it.
    final: bool


def time_left(session) -> TimeLeft:
    """How long `session` lasts from now, in whole seconds: until the idle limit, as just extended
    (Django's expiry age), or the absolute end if that comes sooner."""
    idle = session.get_expiry_age()
    absolute = seconds_left(session)
    if absolute is not None and absolute < idle:
        # Rounded up: a page that counts down to it arrives after the end, never just before.
        return TimeLeft(seconds=max(0, math.ceil(absolute)), final=True)
    return TimeLeft(seconds=idle, final=False)


def end(request) -> None:
    """Sign the request's user out because their session has reached its absolute end, and mark the
    fresh session so the sign-in page can say why."""
    logout(request)
    request.session[ENDED] = True


def ended_here(request) -> bool:
    """Did this browser's last session end for its age (and no one has signed in since)?"""
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(ENDED))


def lifetime_words() -> str:
    """The absolute limit as people say it: "12 hours", "90 minutes", "1 hour"."""
    seconds = settings.SESSION_ABSOLUTE_SECONDS
    if seconds % 3600 == 0:
        return wording.count_of(seconds // 3600, "hour")
    if seconds % 60 == 0:
        return wording.count_of(seconds // 60, "minute")
    return wording.count_of(seconds, "second")


def reason() -> str:
    """Why the person was signed out, in the words of the sign-in page."""
    return f"For your security, you are signed out {lifetime_words()} after signing in."
