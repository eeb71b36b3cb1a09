"""Concerns: intelligence about a provider, which may lead to a visit or an urgent review meeting."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from providers.models.register import Provider, Setting
from providers.models.validators import not_in_future
from providers.models.young_people import YoungPerson
from qa_portal import tags
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from qa_portal.removal import RemovableInError, kept_manager


class ConcernSource(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    YOUNG_PERSON = "young_person", "Young person"
    IRO = "iro", "Independent Reviewing Officer"
    OTHER_AUTHORITY = "other_authority", "Another local authority"
    REGULATION_44 = "regulation_44", "Regulation 44 report"
    OFSTED = "ofsted", "Ofsted"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


tags.register(
    "concern_severity", Severity, colours={Severity.LOW: "grey", Severity.MEDIUM: "orange", Severity.HIGH: "red"}
)


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"


tags.register(
    "concern_status",
    ConcernStatus,
    colours={ConcernStatus.OPEN: "blue", ConcernStatus.UNDER_REVIEW: "yellow", ConcernStatus.CLOSED: "grey"},
)


class ConcernQuerySet(models.QuerySet):
    def open(self):
        """Concerns not yet closed: open or under review."""
        return self.exclude(status=ConcernStatus.CLOSED)


class Concern(RemovableInError):
    """Intelligence about a provider; may trigger a visit or an urgent review meeting. One recorded in
    error (twice, say) is removed softly: `objects` no longer has it, `all_objects` does (qa_portal.removal)."""

    recorded_by_field = "raised_by"

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="concerns")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="concerns", null=True, blank=True)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="concerns", null=True, blank=True
    )
    source = models.CharField(max_length=30, choices=ConcernSource)
    received_on = models.DateField("date received", validators=[not_in_future])
    summary = LimitedTextField(max_length=limits.SUMMARY)
    severity = models.CharField(max_length=10, choices=Severity, default=Severity.MEDIUM)
    status = models.CharField(max_length=20, choices=ConcernStatus, default=ConcernStatus.OPEN)
    outcome = LimitedTextField(blank=True, max_length=limits.SUMMARY)
    # Recorded for the risk rating (issue 16): an open concern referred to the LADO makes a provider High.
    lado_referral = models.BooleanField(
        "referred to the LADO",
        default=False,
        help_text="An allegation against someone who works with children, referred to the Local Authority "
        "Designated Officer",
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = kept_manager(ConcernQuerySet)
    all_objects = ConcernQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.get_source_display()} concern, {self.received_on:%d/%m/%Y}"

    def clean(self):
        super().clean()
        if self.status == ConcernStatus.CLOSED and not (self.outcome or "").strip():
            raise ValidationError({"outcome": "Say what the outcome was before closing the concern"})
        if self.setting_id and self.provider_id and self.setting.provider_id != self.provider_id:
            raise ValidationError({"setting": "Choose one of this provider's settings"})
