from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential, WebAuthnUserHandle

from qa_portal import access, delivery, notify, second_factor
from qa_portal.account_changes import (
    AccountSnapshot,
    account_changes_record,
    added_and_removed,
    role_permissions,
    role_permissions_record,
)
from qa_portal.inputs.forms import PortalModelForm
from qa_portal.models import AccountChange, Notification, User
from qa_portal.passkeys import passkeys_for
from qa_portal.roles import Role

# django-otp's own admin pages show each authenticator's secret key and QR code: an administrator
# resets a second factor with the user admin's action instead, never seeing anyone's key. Passkeys
# (django-otp-webauthn, which registers no admin of its own) are not offered either.
for _device in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation, WebAuthnUserHandle):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)


class UserForm(PortalModelForm):
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = User
        fields = ["email", "full_name", "job_title", "roles", "provider", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["roles"] = [role.value for role in self.instance.roles]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Another account already uses this email address.")
        return email

    def clean(self):
        cleaned = super().clean()
        self.instance.provider = cleaned.get("provider")
        try:
            self.instance.validate_roles(Role(value) for value in cleaned.get("roles", []))
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned

    def save_roles(self, user):
        labels = [Role(value).label for value in self.cleaned_data.get("roles", [])]
        user.groups.set(Group.objects.filter(name__in=labels))
        user.__dict__.pop("roles", None)


class NewUserForm(UserForm):
    password1 = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="Password again", widget=forms.PasswordInput, strip=False)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match.")
        elif first:
            try:
                # The instance gets the form's values only after clean(): check against what was typed.
                typed = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
                validate_password(first, typed)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserForm
    list_display = ["full_name", "email", "job_title", "role_names", "provider", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "provider"]
    search_fields = ["full_name", "email", "job_title"]
    readonly_fields = ["last_login", "date_joined", "second_factor_set_up"]
    actions = ["reset_second_factor"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider").prefetch_related("groups")

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = UserForm if obj else NewUserForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = ["email", "full_name", "job_title", "roles", "provider", "is_active"]
        return fields + (["last_login", "date_joined", "second_factor_set_up"] if obj else ["password1", "password2"])

    # What the account may do is recorded before and after each save (qa_portal.account_changes):
    # read from the database before the form's values are saved, and again after its roles are.
    def save_model(self, request, obj, form, change):
        form.access_before = AccountSnapshot.of(User.objects.get(pk=obj.pk)) if change else AccountSnapshot.none()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_roles(form.instance)
        form.access_changes = account_changes_record(
            account=form.instance, before=form.access_before, by=request.user, how=AccountChange.How.ADMIN
        )

    def construct_change_message(self, request, form, formsets, add=False):
        """The admin's history says what changed in the roles and permissions, before and after
        ("Roles: QA lead → Manager"), not only which fields changed ("Changed roles")."""
        recorded = getattr(form, "access_changes", [])
        if not recorded:
            return super().construct_change_message(request, form, formsets, add)
        covered = {"email", "roles", "provider", "is_active"}
        others = [str(form.fields[name].label or name) for name in form.changed_data if name not in covered]
        others = [label for label in others if label not in ("Password", "Password again")]
        parts = [change.sentence for change in recorded]
        if others:
            parts.append("Changed " + ", ".join(label.lower() for label in others))
        return ("Added. " if add else "") + "; ".join(parts) + "."

    def has_delete_permission(self, request, obj=None):
        # Accounts are switched off, never deleted, so the record of who did what survives.
        return False

    @admin.display(description="Roles")
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    @admin.display(description="Second factor")
    def second_factor_set_up(self, obj):
        device = second_factor.authenticator_for(obj)
        app = f"App set up on {date_format(localtime(device.created_at), 'j F Y')}" if device else "No app set up"
        count = passkeys_for(obj).count()
        return f"{app}; {count} passkey{pluralize(count)}"

    @admin.action(description="Reset the second factor of the selected users", permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """For someone who has lost their phone and their recovery codes: they set up an authenticator
        app again the next time they sign in with their password."""
        count = second_factor.reset(queryset)
        self.message_user(
            request,
            f"Reset the second factor of {count} user{pluralize(count)}. Their apps, recovery codes and passkeys "
            "no longer work: they will set up an authenticator app the next time they sign in with their password.",
            messages.SUCCESS,
        )


@admin.register(AccountChange)
class AccountChangeAdmin(admin.ModelAdmin):
    """Every change to what someone may do, before and after: read-only, for administrators."""

    list_display = ["at", "whose", "what", "before", "after", "difference", "by", "how"]
    list_filter = ["what", "how", "group"]
    search_fields = ["account__full_name", "account__email", "group__name", "by__full_name"]
    date_hierarchy = "at"
    list_select_related = ["account", "group", "by"]
    fields = ["at", "account", "group", "what", "before", "after", "by", "how"]
    readonly_fields = fields

    @admin.display(description="Account or role")
    def whose(self, obj):
        return obj.whose

    @admin.display(description="Added and removed")
    def difference(self, obj):
        return added_and_removed(obj) if obj.what in ("Roles", "Permissions", "Permissions of their own") else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# A role's permissions are set by qa_portal.roles on every deployment; a superuser who changes them in
# the admin meanwhile is recorded, before and after, as the deployment's changes are.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    def save_model(self, request, obj, form, change):
        form.permissions_before = role_permissions(obj) if change else ()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        role_permissions_record(
            group=form.instance, before=form.permissions_before, by=request.user, how=AccountChange.How.ADMIN
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Every email the portal has made, and how sending it went. Read-only, but an administrator
    can send failed ones again (after an SMTP outage longer than a day, or a wrong address fixed)."""

    list_display = ["created_at", "subject", "email", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "email"]
    date_hierarchy = "created_at"
    actions = ["send_again"]
    fields = [
        "email",
        "recipient",
        "kind",
        "subject",
        "body",
        "link",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "message_id",
        "created_at",
        "sent_at",
        "read_at",
    ]
    readonly_fields = fields

    # An email's body can name young people (a recommendations digest gives their initials), so only
    # someone who may see young people (providers.access.may_see_young_people) reads it here; anyone
    # else sees a line saying it is hidden in its place.
    def get_fields(self, request, obj=None):
        if access.may_see_young_people(request.user):
            return self.fields
        return [("body_hidden" if name == "body" else name) for name in self.fields]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description="Body")
    def body_hidden(self, obj):
        return "Hidden: an email can name young people, and your roles do not include seeing them."

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # "Change" only allows the send-again action; each notification itself is read-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Send the selected failed emails again", permissions=["change"])
    def send_again(self, request, queryset):
        ids = delivery.send_again(queryset)
        for pk in ids:
            transaction.on_commit(partial(notify.enqueue, pk))
        skipped = queryset.count() - len(ids)
        self.message_user(
            request,
            f"{len(ids)} email{pluralize(len(ids))} will be sent again."
            + (f" {skipped} not failed, so left as {pluralize(skipped, 'it was,they were')}." if skipped else ""),
            messages.SUCCESS,
        )
