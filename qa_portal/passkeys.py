"""Passkeys (WebAuthn, through django-otp-webauthn) as a second factor beside the authenticator app.

Someone who has signed in fully (with their app's code, a recovery code, a passkey or the council's
account) may add passkeys on "Your account": a fingerprint, face or PIN on their computer or phone, or
a security key. At the next sign-in with their password, the code page offers "Use a passkey" beside
the code box: the passkey satisfies the second factor as a code does (qa_portal.second_factor). The
authenticator app stays: it is what every account sets up first, with its recovery codes, and a code
from it always works, so `SECOND_FACTOR_ROLES` is met by the app whether or not a passkey is added.

A passkey is never a way in on its own (passwordless sign-in is off: OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN),
and only the signed-in person's own passkeys are asked for and accepted.

The relying party (the portal, to the browser) is the host the person reached it at, and the origin
its scheme and host: both come from the request, whose host Django has checked against ALLOWED_HOSTS,
so passkeys work wherever the portal is served from without another setting. A browser refuses a
passkey for an IP address: in development, use http://localhost:8000 rather than http://127.0.0.1:8000.
"""

from django.db import transaction
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

PASSKEY_NAME = "Passkey"
# Enough for a computer, a phone and a spare security key or two; each is one more way in to look after.
MOST_PASSKEYS = 10


def relying_party_id(request: HttpRequest) -> str:
    """The relying party ID: the host the portal was reached at, without its port ("qa.example.gov.uk").
    Raises DisallowedHost for a host not in ALLOWED_HOSTS (Django's check)."""
    host = request.get_host()
    if host.startswith("["):  # an IPv6 address, which no browser accepts for a passkey anyway
        return host.partition("]")[0] + "]"
    return host.rsplit(":", 1)[0] if ":" in host else host


def origin(request: HttpRequest) -> str:
    """The origin the browser must say it was on: "https://qa.example.gov.uk" (with its port, if any)."""
    return f"{request.scheme}://{request.get_host()}"


class PortalWebAuthnHelper(WebAuthnHelper):
    """django-otp-webauthn's helper, with the origin taken from the request (see the module's docstring)."""

    def get_allowed_origins(self) -> list[str]:
        return [origin(self.request)]


def passkeys_for(user):
    """The user's passkeys (confirmed WebAuthn credentials), the most recently added first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("-created_at", "-pk")


def has_passkey(user) -> bool:
    return passkeys_for(user).exists()


def name_new_passkey(credential: WebAuthnCredential) -> None:
    """Names a passkey just added, so the person can tell their passkeys apart: "Passkey added on
    3 May 2026" (browsers do not say which device made it)."""
    added = timezone.localtime(credential.created_at or timezone.now())
    credential.name = f"{PASSKEY_NAME} added on {added:%-d %B %Y}"
    credential.save(update_fields=["name"])


def remove_passkey(user, pk) -> bool:
    """Removes one of `user`'s own passkeys (it stops working at once). Returns False if `pk` is not
    one of theirs."""
    with transaction.atomic():
        removed, _ = passkeys_for(user).filter(pk=pk).delete()
    return bool(removed)


def configuration(request: HttpRequest) -> dict:
    """What django-otp-webauthn's scripts read from the page (the JSON in #otp_webauthn_config): our
    addresses for each step, and the page's CSRF token for their posts."""
    return {
        "autocompleteLoginFieldSelector": None,
        "nextFieldSelector": "input[name='next']",
        "csrfToken": get_token(request),
        "beginAuthenticationUrl": reverse("passkey_sign_in_begin"),
        "completeAuthenticationUrl": reverse("passkey_sign_in_complete"),
        "beginRegistrationUrl": reverse("passkey_add_begin"),
        "completeRegistrationUrl": reverse("passkey_add_complete"),
    }
