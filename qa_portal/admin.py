from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize

from qa_portal import delivery, notify
from qa_portal.inputs.forms import PortalModelForm
from qa_portal.models import Notification, User
from qa_portal.roles import Role


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
                validate_password(first, self.instance)
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
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("provider").prefetch_related("groups")

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = UserForm if obj else NewUserForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        fields = ["email", "full_name", "job_title", "roles", "provider", "is_active"]
        return fields + (["last_login", "date_joined"] if obj else ["password1", "password2"])

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_roles(form.instance)

    def has_delete_permission(self, request, obj=None):
        # Accounts are switched off, never deleted, so the record of who did what survives.
        return False

    @admin.display(description="Roles")
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all())


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
