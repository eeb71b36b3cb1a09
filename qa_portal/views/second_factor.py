"""Sign-in's second step (qa_portal.second_factor): the code from the authenticator app or a recovery
code; setting up the app the first time; the recovery codes, shown once; and the account page where
people replace either. Each step carries `?next=`, where sign-in leads once complete."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from qa_portal import passkeys, second_factor
from qa_portal.forms import SecondFactorCodeForm
from qa_portal.views.auth import locked_out


def next_url(request) -> str:
    """Where sign-in leads: `?next=` when it is an address on this site ("/providers/"), else the home
    page. Only a path: `redirect()` would take other text ("Ann Lee") for the name of a view."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    ours = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if ours and target.startswith("/"):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({REDIRECT_FIELD_NAME: next_url(request)})}"


def _lock_out(request):
    """The account is locked: sign the half-signed-in person out and say so, as a wrong password does."""
    logout(request)
    return locked_out(request)


def _code_page(request, *, recovery: bool):
    user = request.user
    if second_factor.is_complete(request):
        return redirect(next_url(request))
    device = second_factor.authenticator_for(user)
    has_passkey = passkeys.has_passkey(user)
    if device is None and not has_passkey:
        return redirect(_with_next("second_factor_set_up", request))
    if second_factor.is_locked(request, user):
        return _lock_out(request)

    used = {}

    def check(code: str) -> bool:
        if recovery:
            used["device"] = second_factor.use_recovery_code(user, code)
        else:
            right = device is not None and second_factor.verify_authenticator_code(device, code)
            used["device"] = device if right else None
        if used["device"] is None:
            second_factor.count_failure(request, user)
        return used["device"] is not None

    form = SecondFactorCodeForm(request.POST or None, check=check, recovery=recovery)
    if request.method == "POST" and form.is_valid():
        second_factor.complete_sign_in(request, device=used["device"])
        if recovery:
            left = second_factor.recovery_codes_left(user)
            messages.warning(
                request,
                f"You signed in with a recovery code. You have {left} left. If you no longer have your "
                "authenticator app, set up a new one here.",
            )
            return redirect(f"{reverse('account_security')}?{urlencode({REDIRECT_FIELD_NAME: next_url(request)})}")
        return redirect(next_url(request))
    if getattr(request, "axes_locked_out", False):
        return _lock_out(request)
    template = "registration/second_factor_recovery.html" if recovery else "registration/second_factor_code.html"
    context = {"form": form, "next": next_url(request), "has_app": device is not None}
    if has_passkey and not recovery:
        context["passkey_config"] = passkeys.configuration(request)
    return render(request, template, context)


@second_factor.not_required
@never_cache
@require_http_methods(["GET", "POST"])
def enter_code(request):
    """After the password: "Enter the 6-digit code from your authenticator app"."""
    return _code_page(request, recovery=False)


@second_factor.not_required
@never_cache
@require_http_methods(["GET", "POST"])
def enter_recovery_code(request):
    """Instead of the app's code: one of the ten recovery codes, each good once."""
    return _code_page(request, recovery=True)


@second_factor.not_required
@never_cache
@require_http_methods(["GET", "POST"])
def set_up(request):
    """The first time (or to replace the app, once signed in): a QR code and the key as text, and
    a code from the app to show it works. Then the recovery codes, once."""
    user = request.user
    complete = second_factor.is_complete(request)
    if not complete and second_factor.has_second_factor(user):
        # Someone with only the password may not swap the app (or passkey) for one of their own.
        return redirect(_with_next("second_factor", request))
    if not complete and second_factor.is_locked(request, user):
        return _lock_out(request)
    device = second_factor.new_authenticator(request)
    form = SecondFactorCodeForm(
        request.POST or None,
        check=lambda code: second_factor.verify_authenticator_code(device, code),
        label="Enter the 6-digit code the app shows",
    )
    if request.method == "POST" and form.is_valid():
        second_factor.confirm_authenticator(request, device)
        return redirect(_with_next("recovery_codes", request))
    return render(
        request,
        "registration/second_factor_set_up.html",
        {
            "form": form,
            "qr_code": second_factor.qr_code_svg(device),
            "key": second_factor.key_text(device),
            "replacing": complete and second_factor.authenticator_for(user) is not None,
            "next": next_url(request),
        },
    )


@never_cache
def recovery_codes(request):
    """The recovery codes just made, shown this once (a reload finds them gone)."""
    codes = request.session.pop(second_factor.CODES_TO_SHOW, None)
    if not codes:
        return redirect(next_url(request))
    shown = [f"{code[:4]} {code[4:]}" for code in codes]
    return render(request, "registration/recovery_codes.html", {"codes": shown, "next": next_url(request)})


@never_cache
def account_security(request):
    """How this person signs in: their password, their authenticator app, recovery codes left, and their
    passkeys (qa_portal.passkeys), where they add or remove one."""
    user = request.user
    device = second_factor.authenticator_for(user)
    return render(
        request,
        "registration/account_security.html",
        {
            "device": device,
            "passkeys": list(passkeys.passkeys_for(user)),
            "most_passkeys": passkeys.MOST_PASSKEYS,
            "passkey_config": passkeys.configuration(request),
            "codes_left": second_factor.recovery_codes_left(user),
            "code_count": second_factor.RECOVERY_CODE_COUNT,
            "council": request.session.get(second_factor.SIGNED_IN_WITH) == second_factor.COUNCIL,
            "next": request.GET.get(REDIRECT_FIELD_NAME) and next_url(request),
        },
    )


@never_cache
@require_POST
def new_recovery_codes(request):
    """Makes ten new recovery codes (the old ones stop working) and shows them once."""
    request.session[second_factor.CODES_TO_SHOW] = second_factor.new_recovery_codes(request.user)
    return redirect(f"{reverse('recovery_codes')}?{urlencode({REDIRECT_FIELD_NAME: reverse('account_security')})}")
