from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from qa_portal import council_sign_in
from qa_portal.second_factor import not_required as second_factor_not_required
from qa_portal.views import auth, notifications, pages, passkeys, second_factor, session

urlpatterns = [
    path("sign-in/", auth.SignInView.as_view(), name="login"),
    path("sign-in/code/", second_factor.enter_code, name="second_factor"),
    path("sign-in/recovery-code/", second_factor.enter_recovery_code, name="second_factor_recovery"),
    path("sign-in/set-up/", second_factor.set_up, name="second_factor_set_up"),
    path("sign-in/recovery-codes/", second_factor.recovery_codes, name="recovery_codes"),
    # Signing in with a passkey instead of a code (qa_portal.passkeys): its page's script posts here.
    path(
        "sign-in/passkey/begin/",
        second_factor_not_required(passkeys.passkey_sign_in_begin),
        name="passkey_sign_in_begin",
    ),
    path(
        "sign-in/passkey/complete/",
        second_factor_not_required(passkeys.passkey_sign_in_complete),
        name="passkey_sign_in_complete",
    ),
    path("sign-in/council/", login_not_required(council_sign_in.StartView.as_view()), name="council_sign_in"),
    path(
        "sign-in/council/callback/",
        login_not_required(council_sign_in.CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path("sign-out/", second_factor_not_required(auth.SignOutView.as_view()), name="logout"),
    path("password-reset/", auth.ResetRequestView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth.ResetSentView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", auth.ResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/complete/", auth.ResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/password/", auth.ChangePasswordView.as_view(), name="password_change"),
    path("account/password/changed/", auth.ChangePasswordDoneView.as_view(), name="password_change_done"),
    path("account/", second_factor.account_security, name="account_security"),
    path("account/recovery-codes/", second_factor.new_recovery_codes, name="new_recovery_codes"),
    path("account/passkeys/begin/", passkeys.passkey_add_begin, name="passkey_add_begin"),
    path("account/passkeys/complete/", passkeys.passkey_add_complete, name="passkey_add_complete"),
    path("account/passkeys/remove/", passkeys.passkey_remove, name="passkey_remove"),
    path("accessibility/", pages.accessibility_statement, name="accessibility"),
    path("healthz", pages.healthz, name="healthz"),
    # Browsers' reports of Content-Security-Policy violations (the policy's report-uri and report-to).
    path("csp-report/", pages.csp_report, name="csp_report"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("session/extend/", session.session_extend, name="session_extend"),
    path("documents/", include("qa_portal.documents.urls")),
    path("admin/", admin.site.urls),
    path("", include("providers.urls")),
    path("", include("visits.urls")),
    path("", include("reviews.urls")),
    path("", include("qa_portal.reporting.urls")),
]

handler400 = "qa_portal.views.errors.bad_request"
handler403 = "qa_portal.views.errors.forbidden"
handler404 = "qa_portal.views.errors.not_found"
handler500 = "qa_portal.views.errors.server_error"
