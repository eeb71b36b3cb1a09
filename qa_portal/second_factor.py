"""The second factor: who must give one, whether this session has, and setting one up.

Everyone who signs in with a password must then enter a 6-digit code from an authenticator app
(a TOTP device of django-otp, RFC 6238), or one of their ten recovery codes (a static device, each
code good once). The first time, they set up the app (a QR code and the key as text) and are shown
their recovery codes once. Which roles must: settings.SECOND_FACTOR_ROLES ("all" by default; never
fewer than administrators, QA leads and provider users: ASVS 2.2.1/2.2.5, NCSC guidance). A staff
member signed in with the council's account (OpenID Connect) has given the council's own second
factor and is not asked again.

Someone who has added a passkey (qa_portal.passkeys) may use it instead of a code: it completes
sign-in the same way (`complete_sign_in` with its device). The admin's reset removes passkeys too.

A wrong code counts as a failed sign-in for the lock-out (django-axes), and the lock-out is cleared
only once sign-in is complete, so the password alone never buys more guesses at the code.
"""

from base64 import b32encode

from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as reset_lock_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from qa_portal.roles import Role

# How this session's sign-in was completed: "council" (OpenID Connect) or "code" (a second factor).
SIGNED_IN_WITH = "signed_in_with"
COUNCIL = "council"
CODE = "code"
# Recovery codes just made, shown once on the next page and then forgotten.
CODES_TO_SHOW = "recovery_codes_to_show"
# The authenticator app being set up in this session (its TOTPDevice's id).
SETTING_UP = "authenticator_setting_up"

RECOVERY_CODE_COUNT = 10
# Roles that must always give a second factor, whatever SECOND_FACTOR_ROLES says.
ALWAYS_REQUIRED = frozenset({Role.ADMINISTRATOR, Role.QA_LEAD, Role.PROVIDER_USER})

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
QR_CODE_TITLE = "QR code to scan with your authenticator app"


def required_for(user) -> bool:
    """Whether `user` (signed in with a password) must give a second factor: always for a superuser,
    otherwise when one of their roles is in settings.SECOND_FACTOR_ROLES, or it says "all"."""
    configured = settings.SECOND_FACTOR_ROLES
    if "all" in configured or user.is_superuser:
        return True
    return any(role.value in configured or role in ALWAYS_REQUIRED for role in user.roles)


def is_complete(request) -> bool:
    """Whether the signed-in user of `request` has finished signing in: with the council's account,
    with a second factor this session, or with a password alone when their role needs no more."""
    user = request.user
    if request.session.get(SIGNED_IN_WITH) == COUNCIL:
        return True
    if getattr(user, "otp_device", None) is not None:
        return True
    return not required_for(user)


def authenticator_for(user) -> TOTPDevice | None:
    """The user's authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def new_authenticator(request) -> TOTPDevice:
    """An authenticator app for the signed-in user to set up: unconfirmed until they enter a code
    from it. The one shown earlier in this session is kept (the page was reloaded, or the code was
    wrong), so a QR code already scanned stays good; any other unconfirmed one is thrown away, so
    nobody else's half-finished set-up is ever shown."""
    user = request.user
    unconfirmed = TOTPDevice.objects.devices_for_user(user, confirmed=False)
    device = unconfirmed.filter(pk=request.session.get(SETTING_UP)).first()
    if device is None:
        unconfirmed.delete()
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
        request.session[SETTING_UP] = device.pk
    return device


def key_text(device: TOTPDevice) -> str:
    """The device's secret as people type it into an app: base32 in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address of `device` as an inline SVG QR code (markup only, no script or style),
    titled for screen readers."""
    import segno  # only when an app is set up, not whenever Django starts

    qr_code = segno.make(device.config_url, error="m")
    # Drawn to a viewBox, at its own size (5 pixels a module) but narrower in a narrow window (the CSS
    # of .app-qr-code), rather than widening the page: a long address makes a code 360 pixels wide.
    svg = qr_code.svg_inline(
        scale=5, border=2, title=QR_CODE_TITLE, svgclass="app-qr-code", lineclass=None, omitsize=True
    )
    width, height = qr_code.symbol_size(scale=5, border=2)
    return svg.replace("<svg ", f'<svg role="img" width="{width}" height="{height}" ', 1)


def normalise(code: str) -> str:
    """A code as typed, without the spaces and hyphens people copy with it, in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def verify_authenticator_code(device: TOTPDevice, code: str) -> bool:
    """Checks a 6-digit code from `device`: the one it shows now, or the one before or after (clocks
    differ); each is good once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        return device.verify_token(normalise(code))


def confirm_authenticator(request, device: TOTPDevice) -> list[str]:
    """Sets up the app `device`, once a code from it has been checked: it replaces any app set up
    before, the recovery codes are made anew, and sign-in is complete. Returns the recovery codes,
    also kept in the session to be shown once."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        device.refresh_from_db()
        codes = new_recovery_codes(device.user)
    complete_sign_in(request, device=device)
    request.session.pop(SETTING_UP, None)
    request.session[CODES_TO_SHOW] = codes
    return codes


def new_recovery_codes(user) -> list[str]:
    """Ten new recovery codes for `user`, replacing any they had: each signs in once, instead of a
    code from the app. Returned in plain text to show once; only the device keeps them after."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def reset(users) -> int:
    """Removes the authenticator apps, recovery codes and passkeys of `users` (a QuerySet), so each
    sets up an app again at their next sign-in with a password; sessions already verified with them
    end their verification. Returns how many users were reset."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user__in=users).delete()
        StaticDevice.objects.filter(user__in=users).delete()
        WebAuthnCredential.objects.filter(user__in=users).delete()
    return users.count()


def has_second_factor(user) -> bool:
    """Whether `user` has set up a second factor: an authenticator app or a passkey. Someone who has,
    and has given only their password, must use it; they may not set up a new one of their own."""
    return authenticator_for(user) is not None or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def use_recovery_code(user, code: str) -> StaticDevice | None:
    """Signs in with one of the user's recovery codes, which is then used up. Returns the device, or
    None if it is not one of theirs (or was used already)."""
    with transaction.atomic():
        for device in StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(normalise(code)):
                return device
    return None


def complete_sign_in(request, *, device=None, council: bool = False) -> None:
    """Marks this session's sign-in as complete: with `device` (the second factor just given), with
    the council's account, or with a password alone. Gives the session a new key (the signed-in
    state changed) and clears the account's failed sign-ins."""
    if device is not None:
        otp_login(request, device)
        request.session[SIGNED_IN_WITH] = CODE
    if council:
        request.session[SIGNED_IN_WITH] = COUNCIL
    request.session.cycle_key()
    reset_lock_out(username=request.user.get_username().strip().lower())


def forget(request) -> None:
    """Forgets how this session's earlier sign-in was completed, before a new one with a password."""
    for key in (DEVICE_ID_SESSION_KEY, SIGNED_IN_WITH, CODES_TO_SHOW):
        request.session.pop(key, None)


def count_failure(request, user) -> bool:
    """Records a wrong code as a failed sign-in for `user`'s account. Returns True if the account is
    now locked (django-axes then answers with the lock-out page)."""
    user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def is_locked(request, user) -> bool:
    """Whether `user`'s account is locked after too many failed sign-ins."""
    return AxesProxyHandler.is_locked(request, {"username": user.get_username()})


def not_required(view):
    """Marks a view that someone who has given their password but not yet their code may use."""
    view.second_factor_required = False
    return view


def roles_setting_problem() -> str | None:
    """What is wrong with settings.SECOND_FACTOR_ROLES, if anything: a role that does not exist, or
    one of those that must always give a second factor left out. Checked at start-up."""
    configured = set(settings.SECOND_FACTOR_ROLES)
    if "all" in configured:
        return None
    if unknown := configured - {role.value for role in Role}:
        return (
            f"SECOND_FACTOR_ROLES names no role called {', '.join(sorted(unknown))}. Use 'all' or role values "
            f"from qa_portal/roles.py: {', '.join(role.value for role in Role)}."
        )
    if missing := {role.value for role in ALWAYS_REQUIRED} - configured:
        return (
            f"SECOND_FACTOR_ROLES must include {', '.join(sorted(missing))}: administrators, QA leads and "
            "provider users always need a second factor."
        )
    return None
