from datetime import timedelta
from functools import cache, cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, Permission, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone

from qa_portal import tags
from qa_portal.account_changes import AccountSnapshot, account_changes_record

# The access log of personal data and the record of role and permission changes live in their own
# package (qa_portal.audit); imported here so Django finds the models.
from qa_portal.audit.models import AccessAction, AccountChange, PersonalDataAccess  # noqa: F401
from qa_portal.roles import ROLE_PRECEDENCE, Role


@cache
def _roles_and_permissions_sql() -> str:
    """The SQL of User.load_roles_and_permissions, with `%(user)s` for the user's id: rows of (kind,
    key), kind "role" (the group's name), "user" (a permission of their own) or "group" (one of a
    group's), key "app_label.codename" for a permission, as Django names it. Written from the models'
    own tables, so it reads what ModelBackend reads; built once a process."""
    user_groups = User.groups.through._meta
    user_permissions = User.user_permissions.through._meta
    group_permissions = Group.permissions.through._meta

    def name(meta, field):
        return f'"{meta.db_table}"."{meta.get_field(field).column}"'

    group, permission, content_type = Group._meta, Permission._meta, ContentType._meta
    permission_name = f"""{name(content_type, "app_label")} || '.' || {name(permission, "codename")}"""
    joined_type = f'JOIN "{content_type.db_table}" ON {name(content_type, "id")} = {name(permission, "content_type")}'
    return f"""
        SELECT 'role', {name(group, "name")} FROM "{group.db_table}"
            JOIN "{user_groups.db_table}" ON {name(user_groups, "group")} = {name(group, "id")}
            WHERE {name(user_groups, "user")} = %(user)s
        UNION ALL
        SELECT 'user', {permission_name} FROM "{permission.db_table}" {joined_type}
            JOIN "{user_permissions.db_table}" ON {name(user_permissions, "permission")} = {name(permission, "id")}
            WHERE {name(user_permissions, "user")} = %(user)s
        UNION ALL
        SELECT 'group', {permission_name} FROM "{permission.db_table}" {joined_type}
            JOIN "{group_permissions.db_table}" ON {name(group_permissions, "permission")} = {name(permission, "id")}
            JOIN "{user_groups.db_table}" ON {name(user_groups, "group")} = {name(group_permissions, "group")}
            WHERE {name(user_groups, "user")} = %(user)s
    """


def _roles_named(names) -> frozenset[Role]:
    by_label = {role.label: role for role in Role}
    return frozenset(by_label[name] for name in names if name in by_label)


class UserQuerySet(models.QuerySet):
    def active(self):
        """People who may sign in: accounts not switched off (they are never deleted)."""
        return self.filter(is_active=True)

    def active_with_role(self, *roles: Role):
        """Active people who hold at least one of `roles`, each person once however many of them
        they hold. A role is the Django group named by its label (qa_portal.roles)."""
        memberships = self.model.groups.through.objects.filter(
            user_id=OuterRef("pk"), group__name__in=[role.label for role in roles]
        )
        return self.active().filter(Exists(memberships))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
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
        """A superuser (`createsuperuser`), recorded as a role and permission change made from the
        command line (qa_portal.account_changes)."""
        extra_fields.pop("is_staff", None)
        extra_fields["is_superuser"] = True
        user = self.create_user(email, password, **extra_fields)
        account_changes_record(account=user, before=AccountSnapshot.none(), by=None, how=AccountChange.How.COMMAND)
        return user


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
        return _roles_named(self.groups.values_list("name", flat=True))

    def load_roles_and_permissions(self) -> None:
        """Reads this user's roles and permissions in one query, where Django's ModelBackend takes
        three (group names, the user's own permissions, their groups'), and keeps them on this object
        as `roles` and ModelBackend's own caches, which it then uses as if it had read them itself.
        For the signed-in user of a request (qa_portal.middleware.AccessMiddleware): every page's
        navigation asks both. A superuser's permissions (all of them) are left to ModelBackend.
        The query is written once (`_roles_and_permissions_sql`): built by the ORM on every request it
        cost about 4 ms of CPU, the most of anything every signed-in page does before its view."""
        found = {"role": set(), "user": set(), "group": set()}
        with connections[router.db_for_read(Group)].cursor() as cursor:
            cursor.execute(_roles_and_permissions_sql(), {"user": self.pk})
            for kind, key in cursor.fetchall():
                found[kind].add(key)
        self.roles = _roles_named(found["role"])
        if self.is_active and not self.is_superuser:
            self._user_perm_cache = found["user"]
            self._group_perm_cache = found["group"]
            self._perm_cache = found["user"] | found["group"]

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


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "Waiting to send"
    # Handed to the SMTP server, its answer not yet recorded: only a worker that dies just then
    # leaves it here, and the catch-up sends it again with the same Message-ID.
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


tags.register(
    "notification_status",
    NotificationStatus,
    colours={
        NotificationStatus.PENDING: "grey",
        NotificationStatus.SENDING: "blue",
        NotificationStatus.SENT: "green",
        NotificationStatus.FAILED: "red",
    },
)


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Every message the portal sends: to whom, what kind, about what, when, and how it went.

    The (recipient, kind, key) triple is unique, so a reminder is sent once however often
    the job that makes it runs. It is also the person's in-app notification."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    email = models.EmailField("sent to")
    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200, help_text="What makes this notification the same one if made again")
    subject = models.CharField(max_length=250)
    body = models.TextField()
    html = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    calendar = models.TextField(blank=True, help_text="An iCalendar invite sent as an attachment")
    items = models.JSONField(default=list, blank=True, help_text="For a digest: the keys of the items it covered")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    status = models.CharField(max_length=20, choices=NotificationStatus, default=NotificationStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        "next attempt", null=True, blank=True, help_text="When the catch-up tries to send it (again); blank: now"
    )
    message_id = models.CharField(
        "Message-ID", max_length=250, blank=True, help_text="The same on every attempt, so a repeat can be recognised"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["email", "kind", "key"], name="notification_sent_once"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self):
        return f"{self.subject} to {self.email} ({self.get_status_display().lower()})"


# How a run of a scheduled job went (JobRun.outcome).
tags.register(
    "job_outcome",
    colours={"worked": "green", "failed": "red", "running": "yellow"},
    labels={"worked": "Worked", "failed": "Failed", "running": "Running"},
)


# Beat starts a daily job within seconds of its time; a run this much later was held up.
JOB_LATE_AFTER = timedelta(minutes=10)


class JobRun(models.Model):
    """One run of a scheduled job: when, how it went, and what it did."""

    job = models.CharField(max_length=50)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    dry_run = models.BooleanField(default=False)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # For a daily job: the scheduled time this run was for (settings.DAILY_JOBS), so a run made
    # hours later, after the worker or Redis came back, shows as late.
    due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "-started_at"])]
        permissions = [("view_jobs_page", "Can see when scheduled jobs last ran")]

    def __str__(self):
        return f"{self.job} at {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def late(self) -> bool:
        """A daily job's run that started well after its scheduled time (JOB_LATE_AFTER)."""
        return self.due_at is not None and self.started_at - self.due_at > JOB_LATE_AFTER

    @property
    def outcome(self) -> str:
        """ "worked", "failed" or "running" (not finished yet), as registered for its tag."""
        if self.ok is None:
            return "running"
        return "worked" if self.ok else "failed"


class HeldSubmissionQuerySet(models.QuerySet):
    def live(self):
        """Those not yet past their time: an expired one is never given back, even before it is deleted."""
        return self.filter(expires__gt=timezone.now())

    def expired(self):
        return self.filter(expires__lte=timezone.now())


class HeldSubmission(models.Model):
    """A form posted when it could not be saved (the session had ended, or the page's security token
    was out of date), kept for a short while so it can be put back in the form for its author to check
    and save (qa_portal.held). Never saved to the record it was meant for behind their back."""

    class Reason(models.TextChoices):
        SIGNED_OUT = "signed_out", "Signed out"
        OUT_OF_DATE = "out_of_date", "Page out of date"

    id = models.CharField(primary_key=True, max_length=64, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_submissions")
    reason = models.CharField(max_length=20, choices=Reason)
    path = models.CharField(max_length=500, help_text="Where the form was posted to")
    page = models.CharField(max_length=1000, help_text="The page the form was on, to go back to")
    fields = models.JSONField(help_text="The posted fields, each name with its list of values")
    files = models.JSONField(default=list, blank=True, help_text="Names of file fields whose files could not be kept")
    created_at = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()

    objects = HeldSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires"]), models.Index(fields=["user", "-created_at"])]

    def __str__(self):
        return f"Form posted to {self.path} by {self.user_id}, kept until {self.expires:%d/%m/%Y %H:%M}"


class UsedFormToken(models.Model):
    """A create form's one-time token, once a POST of it has created something (qa_portal.intentions).

    The (user, token, fingerprint) triple is unique: a second POST of the same form waits on that
    index until the first has committed, then finds the row and is sent to `result_url`, where the
    first POST went. Rows are deleted after a few days by the cleanup job."""

    token = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of what was posted, the token apart")
    path = models.CharField(max_length=500)
    result_url = models.CharField(max_length=500, blank=True)
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token", "fingerprint"], name="form_token_used_once"),
        ]

    def __str__(self):
        return f"{self.path} at {self.used_at:%d/%m/%Y %H:%M}"


# Documents made in the background live in their own package; imported here so Django finds the model.
from qa_portal.documents.models import Document, DocumentStatus  # noqa: E402, F401
