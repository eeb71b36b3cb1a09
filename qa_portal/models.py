from functools import cached_property

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from qa_portal.roles import ROLE_PRECEDENCE, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Sign-in by email ignores case: Jo.Bloggs@… and jo.bloggs@… are one person.
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.pop("is_staff", None)
        extra_fields["is_superuser"] = True
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Someone who signs in: council staff, or a provider's staff (tied to one provider)."""

    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Only for provider users: the organisation whose records they may see.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Untick instead of deleting, so the history of what they did is kept."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ignoring_case"),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def validate_roles(self, roles):
        """A provider user belongs to exactly one provider and holds no staff role."""
        roles = set(roles)
        if Role.PROVIDER_USER in roles:
            if self.provider_id is None:
                raise ValidationError({"provider": "Choose the provider this provider user works for."})
            if len(roles) > 1:
                raise ValidationError("A provider user cannot also hold a council role.")
        elif self.provider_id is not None:
            raise ValidationError({"provider": "Only provider users are tied to a provider."})

    @cached_property
    def roles(self) -> frozenset[Role]:
        by_label = {role.label: role for role in Role}
        return frozenset(by_label[name] for name in self.groups.values_list("name", flat=True) if name in by_label)

    def has_role(self, *roles: Role) -> bool:
        return self.is_active and any(role in self.roles for role in roles)

    @property
    def primary_role(self) -> Role | None:
        return next((role for role in ROLE_PRECEDENCE if role in self.roles), None)

    @property
    def is_provider_user(self) -> bool:
        return self.has_role(Role.PROVIDER_USER)

    @property
    def is_staff(self) -> bool:
        # Django admin is for administrators only; the role decides, not a flag.
        return self.is_active and (self.is_superuser or Role.ADMINISTRATOR in self.roles)
