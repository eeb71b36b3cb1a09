"""Passkeys (qa_portal.passkeys): the addresses django-otp-webauthn's scripts post to, to add a passkey
on "Your account" and to sign in with one on the code page, and removing one.

The package's views, with the portal's rules: a signed-out browser is told so in JSON (401), not sent
to the sign-in page; adding a passkey needs a complete sign-in (never the password alone); signing in
with one completes sign-in as a code does (a new session key, the failed sign-ins cleared), is refused
while the account is locked, and leads to `?next=` when it is one of our own addresses."""

import re

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp_webauthn import exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from qa_portal import passkeys, second_factor
from qa_portal.views.second_factor import next_url

SIGNED_OUT = "You have been signed out. Sign in again, then try once more."
MOST_PASSKEYS = passkeys.MOST_PASSKEYS


class NeedsCompleteSignIn(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Enter the code from your authenticator app before you add a passkey."
    default_code = "sign_in_not_complete"


class TooManyPasskeys(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = f"You have {MOST_PASSKEYS} passkeys, the most an account may have. Remove one you no longer use."
    default_code = "too_many_passkeys"


class AccountLocked(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = "Your account is locked after too many failed sign-ins. Sign in again later."
    default_code = "account_locked"


class _SignedInOnly:
    """A signed-out browser gets 401 with JSON saying so (the page's script then tells its user)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"detail": SIGNED_OUT, "code": "signed_out", "signed_out": True}, status=401)
        return super().dispatch(request, *args, **kwargs)


class _Adding(_SignedInOnly):
    def _check_user_verified(self, user):
        # The portal's rule, not the package's (which would refuse someone signed in with the council's
        # account): a complete sign-in, never the password alone.
        if not second_factor.is_complete(self.request):
            raise NeedsCompleteSignIn()

    def check_can_register(self):
        if passkeys.passkeys_for(self.request.user).count() >= MOST_PASSKEYS:
            raise TooManyPasskeys()


class _SigningIn(_SignedInOnly):
    def check_can_authenticate(self):
        user = self.request.user
        if second_factor.is_locked(self.request, user):
            logout(self.request)
            raise AccountLocked()
        super().check_can_authenticate()


class AddBegin(_Adding, BeginCredentialRegistrationView):
    """The options for the browser to make a passkey for the signed-in person (JSON)."""


class AddComplete(_Adding, CompleteCredentialRegistrationView):
    """The new passkey, checked and kept; the account page, reloaded, says it was added."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        credential = passkeys.passkeys_for(self.request.user).first()
        if credential is not None:
            passkeys.name_new_passkey(credential)
        messages.success(self.request, "Passkey added. You can use it instead of a code when you sign in.")
        return response


class SignInBegin(_SigningIn, BeginCredentialAuthenticationView):
    """The options for the browser to ask one of the signed-in person's passkeys (JSON)."""


class SignInComplete(_SigningIn, CompleteCredentialAuthenticationView):
    """The passkey's answer, checked: sign-in is complete, and the page goes on to `redirect_url`."""

    def complete_auth(self, device):
        second_factor.complete_sign_in(self.request, device=device)

    def get_success_url(self):
        return next_url(self.request)


passkey_add_begin = login_not_required(AddBegin.as_view())
passkey_add_complete = login_not_required(AddComplete.as_view())
passkey_sign_in_begin = login_not_required(SignInBegin.as_view())
passkey_sign_in_complete = login_not_required(SignInComplete.as_view())


@never_cache
@require_POST
def passkey_remove(request):
    """Removes one of the signed-in person's own passkeys (`passkey`: its id); another's is not found."""
    chosen = request.POST.get("passkey", "").strip()
    if not re.fullmatch(r"[0-9]{1,18}", chosen) or not passkeys.remove_passkey(request.user, int(chosen)):
        raise Http404("You have no such passkey.")
    messages.success(request, "Passkey removed. It no longer signs you in.")
    return redirect("account_security")
