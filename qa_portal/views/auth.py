"""Sign in, sign out, password reset and change, in the portal's own pages."""

from urllib.parse import urlencode

from axes.utils import reset as reset_lock_out
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy

from qa_portal import council_sign_in, second_factor
from qa_portal import held as held_forms
from qa_portal.forms import EMAIL_MAX_LENGTH, ChangePasswordForm, NewPasswordForm, ResetRequestForm, SignInForm
from qa_portal.wording import count_of


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/sign_in.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # Why they are here: signed out for being idle, and whether what they typed was kept.
        notice = held_forms.sign_in_notice(self.request, self.get_redirect_url())
        return super().get_context_data(**kwargs, signed_out_notice=notice, **_council_button())

    def get_success_url(self):
        # Sent nowhere in particular: back to a form of theirs that is being held, if there is one.
        if not self.get_redirect_url() and (held := held_forms.latest_for(self.request.user)):
            return held_forms.page_url(held)
        return super().get_success_url()

    def form_valid(self, form):
        # A new sign-in with a password: whatever completed an earlier one in this browser is forgotten.
        second_factor.forget(self.request)
        response = super().form_valid(form)
        if second_factor.is_complete(self.request):
            second_factor.complete_sign_in(self.request)
        else:
            # Then the code from their authenticator app, and on to where sign-in was leading.
            response = redirect(f"{reverse('second_factor')}?{urlencode({REDIRECT_FIELD_NAME: response.url})}")
        held_forms.remember_user(response, form.get_user())
        return response


def _council_button() -> dict:
    """The sign-in page's "Sign in with your <council> account" button, when that is set up."""
    return {"council_sign_in": council_sign_in.button_label()} if council_sign_in.enabled() else {}


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        user = request.user
        response = super().post(request, *args, **kwargs)
        if user.is_authenticated:
            # They chose to leave: the sign-in page must not say they were signed out for being idle.
            held_forms.remember_user(response, user, signed_in=False)
        return response


def axes_username(request, credentials=None) -> str:
    """The account a sign-in attempt is counted against: the email, ignoring case and spaces."""
    # Axes passes credentials keyed by the form field ("username") or, from its backend,
    # by the user model's USERNAME_FIELD ("email"): count both as the same account.
    value = ""
    if credentials:
        keys = {"username", get_user_model().USERNAME_FIELD}
        value = next((v for k, v in credentials.items() if str(k) in keys and v), "")
    if not value and request is not None:
        value = request.POST.get("username", "")
    # Never longer than an email address can be: django-axes keeps it in a column of 255 characters,
    # and a sign-in form other than ours (the admin's) need not have refused a longer one.
    return str(value).strip().lower()[:EMAIL_MAX_LENGTH]


def locked_out(request, original_response=None, credentials=None):
    """Shown by django-axes instead of the sign-in result once an account is locked."""
    form = SignInForm(request, initial={"username": (request.POST.get("username") or "").strip()})
    minutes = count_of(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), "minute")
    message = (
        f"This account is locked for {minutes} after {settings.AXES_FAILURE_LIMIT} failed sign-in "
        "attempts. Try again later, or reset your password."
    )
    return render(
        request,
        "registration/sign_in.html",
        {"form": form, "lockout_message": message, **_council_button()},
        status=429,
    )


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    success_url = reverse_lazy("password_reset_done")
    extra_context = {"heading": "Reset your password"}
    extra_email_context = {"service_name": settings.SERVICE_NAME, "authority_name": settings.AUTHORITY_NAME}


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


# Set when a password reset unlocked the account, for the next page to say so.
UNLOCKED_BY_RESET = "unlocked_by_reset"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # The lock-out message tells people to reset their password: having done so, they may sign in.
        if reset_lock_out(username=axes_username(None, {"username": form.user.get_username()})):
            self.request.session[UNLOCKED_BY_RESET] = True
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, unlocked=self.request.session.pop(UNLOCKED_BY_RESET, False))


class ChangePasswordView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"
    extra_context = {"heading": "Change your password"}
    success_url = reverse_lazy("password_change_done")


class ChangePasswordDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
