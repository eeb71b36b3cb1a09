"""Staff signing in with the council's own account, over OpenID Connect (mozilla-django-oidc).

On when settings.OIDC_RP_CLIENT_ID is set (README: Configuration). The sign-in page then offers
"Sign in with your <council> account"; the council's identity provider signs them in (with its own
second factor) and says who they are; the portal finds the account with that email address, which
must be an active council account: roles stay in the portal, no account is ever created, and
provider users sign in with their password and code. Any refusal brings them back to the sign-in
page with a message saying why, never an error page.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from qa_portal import second_factor
from qa_portal.roles import STAFF_ROLES

logger = logging.getLogger(__name__)

DID_NOT_WORK = (
    "Signing in with your council account did not work. Try again, or sign in with your email address and password."
)


def enabled() -> bool:
    """Whether sign-in with the council's account is offered (OIDC_RP_CLIENT_ID is set)."""
    return bool(settings.OIDC_RP_CLIENT_ID)


def button_label() -> str:
    return f"Sign in with your {settings.OIDC_PROVIDER_NAME} account"


class Refused(SuspiciousOperation):
    """The identity provider vouched for someone who may not sign in this way; says why, to them."""


class StaffOIDCBackend(OIDCAuthenticationBackend):
    """Finds the active council account with the email address the council's identity provider
    gives (ignoring case), and refuses everyone else with a reason: no account, a switched-off
    account, a provider user, an account with no council role."""

    def __init__(self, *args, **kwargs):
        # Listed in AUTHENTICATION_BACKENDS always, so that settings alone switch it on; while
        # it is off it must not ask for the OIDC settings.
        if enabled():
            super().__init__(*args, **kwargs)
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        # Only the callback of a sign-in this portal started (which passes the nonce) is ours;
        # a password sign-in carrying ?code=&state= in its address is not.
        if not enabled() or request is None or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def filter_users_by_claims(self, claims):
        email = str(claims.get("email") or "").strip()
        users = list(self.UserModel.objects.filter(email__iexact=email)) if email else []
        if len(users) != 1:
            raise Refused(
                f"There is no {settings.SERVICE_NAME} account for {email or 'your council account'}. "
                "Ask your administrator to set one up, or sign in with your email address and password."
            )
        user = users[0]
        if not user.is_active:
            raise Refused("This account has been switched off. Ask your administrator to switch it back on.")
        if user.is_provider_user:
            raise Refused("Provider users sign in with their email address and password, not a council account.")
        if not (user.is_superuser or user.roles & STAFF_ROLES):
            raise Refused(
                "Your account has no council role yet. Ask your administrator to give it one, then sign in again."
            )
        return users

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc leaves the audience unchecked: an ID token (the one checked with a nonce)
        # must be meant for this portal (OpenID Connect Core 3.1.3.7).
        if "nonce" in kwargs:
            audience = payload.get("aud")
            if self.OIDC_RP_CLIENT_ID not in ([audience] if isinstance(audience, str) else list(audience or [])):
                raise SuspiciousOperation("The ID token is not meant for this portal.")
        return payload

    def retrieve_matching_jwk(self, token):
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        # A token may name no key (RFC 7515 4.1.4): then the provider must publish only one to sign with.
        published = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT, verify=self.get_settings("OIDC_VERIFY_SSL", True), timeout=settings.OIDC_TIMEOUT
        )
        published.raise_for_status()
        keys = [key for key in published.json()["keys"] if key.get("use", "sig") == "sig"]
        if len(keys) != 1:
            raise SuspiciousOperation("The ID token names no key, and the provider publishes more than one.")
        return jwt.PyJWK(keys[0], algorithm=self.OIDC_RP_SIGN_ALGO)

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            return super().get_or_create_user(access_token, id_token, payload)
        except Refused as refusal:
            # The base class logs and swallows refusals: keep the reason for the person.
            self.request.council_sign_in_refused = str(refusal)
            logger.info("Council sign-in refused: %s", refusal)
            return None


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the council's identity provider (404 while OIDC is off)."""

    def __init__(self, *args, **kwargs):
        if enabled():
            super().__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404("Signing in with a council account is not set up.")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the council's identity provider sends the browser back: signs the staff member in, their
    sign-in complete, or back to the sign-in page saying why not. An identity provider that cannot be
    reached, or an answer that does not check out, is a refusal too, never an error page."""

    def get(self, request):
        if not enabled():
            raise Http404("Signing in with a council account is not set up.")
        second_factor.forget(request)
        try:
            return super().get(request)
        except (requests.RequestException, SuspiciousOperation, jwt.PyJWTError, ValueError, KeyError) as exc:
            logger.warning("Council sign-in failed: %r", exc)
            return self.login_failure()

    def login_success(self):
        response = super().login_success()
        second_factor.complete_sign_in(self.request, council=True)
        return response

    def login_failure(self):
        messages.error(self.request, getattr(self.request, "council_sign_in_refused", DID_NOT_WORK))
        return redirect("login")
