from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from qa_portal.models import User
from qa_portal.roles import Role


class UserForm(forms.ModelForm):
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
