"""The access log of personal data and the record of role and permission changes.

Imported by qa_portal/models.py, so Django finds them as models of the qa_portal app."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone


class AccessAction(models.TextChoices):
    """What someone did with personal data: the kind of access, as the log page words it."""

    VIEWED = "viewed", "Viewed a page"
    DOWNLOADED = "downloaded", "Downloaded a PDF"
    EXPORTED = "exported", "Exported a list"
    SUBJECT_ACCESS = "subject_access", "Made a subject-access export"
    LISTED = "listed", "Listed in a form's choices"

    @classmethod
    def for_format(cls, fmt: str) -> "AccessAction":
        """A download in `fmt`: a PDF is downloaded, a CSV or XLSX is an exported list."""
        return cls.DOWNLOADED if fmt == "pdf" else cls.EXPORTED


class PersonalDataAccess(models.Model):
    """One view or download of personal data: who, when, what kind of access, which record (if one),
    and whose data it held (`subject_ids`, of the model `subject_type`: every young person on the page,
    in the list, in the document or in a form's choices). A committee pack, which names nobody, is
    recorded with no subjects at all. Kept ACCESS_LOG_KEEP_DAYS days, then deleted by a daily job.

    `what` names the page or document without naming anyone ("Young person's page", "Visit report:
    Visit to Harbour Lights Fostering on 3 May 2025"), so anonymising a record never has to rewrite
    the log: the ids are all it holds of the people."""

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=AccessAction)
    what = models.CharField(max_length=300)
    path = models.CharField(max_length=500, blank=True, help_text="The address, with its filters")
    record_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="The record seen"
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank: a document that names nobody (a committee pack), whose download is kept all the same",
    )
    subject_ids = ArrayField(
        models.PositiveBigIntegerField(), default=list, blank=True, help_text="Whose personal data it held"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access to personal data"
        verbose_name_plural = "accesses to personal data"
        indexes = [
            # "Who has seen this young person's record": subject_ids @> ARRAY[id].
            GinIndex(fields=["subject_ids"], name="personal_data_access_subjects"),
            models.Index(fields=["at"], name="personal_data_access_at"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} by {self.user_id} at {self.at:%d/%m/%Y %H:%M}: {self.what}"

    @property
    def others(self) -> int:
        """How many other people's data the page or document held besides the one asked about."""
        return max(len(self.subject_ids) - 1, 0)


class AccountChange(models.Model):
    """A change to what someone may do: an account's roles, whether it is active, whether it is a
    superuser, its provider, its own permissions, its email address (its sign-in); or a role's
    (group's) permissions. Each with the values before and after, who made it, when and how."""

    class How(models.TextChoices):
        ADMIN = "admin", "In the admin"
        ROLES_UPDATE = "roles_update", "Roles brought up to date on deployment"
        COMMAND = "command", "From the command line"

    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank: the system (a deployment, a command)",
    )
    how = models.CharField(max_length=20, choices=How)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="account_changes"
    )
    group = models.ForeignKey(
        "auth.Group", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="role"
    )
    what = models.CharField(max_length=100, help_text="Roles, Active, Superuser, Permissions…")
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "role or permission change"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account__isnull=False) | models.Q(group__isnull=False),
                name="account_change_names_an_account_or_a_role",
            )
        ]
        indexes = [models.Index(fields=["account", "-at"]), models.Index(fields=["group", "-at"])]

    def __str__(self):
        return self.sentence

    @property
    def whose(self) -> str:
        return str(self.account) if self.account_id else f"Role {self.group}"

    @property
    def sentence(self) -> str:
        """ "Roles: QA lead → Manager" """
        return f"{self.what}: {self.before or '(none)'} → {self.after or '(none)'}"
