from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

from qa_portal.inputs.forms import InputsMixin

# The longest email address there can be (RFC 5321's path of 256, less its angle brackets): the
# sign-in and reset forms say so rather than hand a longer one to the lock-out's table.
EMAIL_MAX_LENGTH = 254
EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address, like name@example.org",
    "max_length": f"Enter an email address of {EMAIL_MAX_LENGTH} characters or fewer",
}


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


class SignInForm(InputsMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": "The email address or password is not right. Check them and try again.",
        "inactive": "This account has been switched off. Ask your administrator to switch it back on.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("username", field_width=Fluid.TWO_THIRDS),
            Field.text("password", field_width=Fluid.TWO_THIRDS),
            submit="Sign in",
        )

    def add_lockout_error(self, minutes: int) -> None:
        self.add_error(
            None,
            f"This account is locked for {minutes} minutes after too many failed sign-in attempts. "
            "Try again later, or reset your password.",
        )


class ResetRequestForm(InputsMixin, PasswordResetForm):
    email = forms.EmailField(
        label="Email address",
        max_length=EMAIL_MAX_LENGTH,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.text("email"), submit="Send reset link")


class NewPasswordForm(InputsMixin, SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.helper = _helper(Field.text("new_password1"), Field.text("new_password2"), submit="Save password")


class ChangePasswordForm(InputsMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.helper = _helper(
            Field.text("old_password"),
            Field.text("new_password1"),
            Field.text("new_password2"),
            submit="Change password",
        )


class SecondFactorCodeForm(InputsMixin, forms.Form):
    """A code that completes sign-in: 6 digits from the authenticator app or, with `recovery=True`,
    one of the user's recovery codes. `check(code) -> bool` says whether it is right (and uses it)."""

    code = forms.CharField(
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )

    def __init__(self, *args, check, recovery=False, label=None, submit="Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.check, self.recovery = check, recovery
        field = self.fields["code"]
        if recovery:
            field.label = label or "Recovery code"
            field.error_messages["required"] = "Enter one of your recovery codes"
            width = 10
        else:
            field.label = label or "Code from your authenticator app"
            field.error_messages["required"] = "Enter the 6-digit code from your authenticator app"
            field.widget.attrs["inputmode"] = "numeric"
            width = 5
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("code", label_size=Size.SMALL, field_width=width), Submit("submit", submit)
        )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").lower()
        if self.recovery:
            if len(code) != 8 or not code.isalnum():
                raise forms.ValidationError("Enter a recovery code as 8 letters and numbers, like abcd 2345")
            wrong = "This recovery code is not right, or has been used already. Check it and try again."
        else:
            if len(code) != 6 or not code.isdigit():
                raise forms.ValidationError("Enter the code as 6 numbers, like 123456")
            wrong = (
                "The code is not right. Enter the code your authenticator app shows now: it changes every 30 seconds."
            )
        if not self.check(code):
            raise forms.ValidationError(wrong)
        return code
