"""Ofsted's judgements and the inspections recorded against a setting or a provider.

The provider and setting are named as "providers.Provider" and "providers.Setting": their module
(`register`) reads the judgement scales from this one."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models.validators import not_in_future
from qa_portal import tags


class Judgement(models.IntegerChoices):
    """Ofsted's four-point overall judgement (older files code them 1 to 4, and 5 for not judged)."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement to be good"
    INADEQUATE = 4, "Inadequate"
    NOT_JUDGED = 5, "Not judged"


NOT_YET_INSPECTED = "Not yet inspected"
NO_JUDGEMENT = "No judgement"

tags.register(
    "ofsted_judgement",
    Judgement,
    colours={
        Judgement.OUTSTANDING: "green",
        Judgement.GOOD: "turquoise",
        Judgement.REQUIRES_IMPROVEMENT: "yellow",
        Judgement.INADEQUATE: "red",
        Judgement.NOT_JUDGED: "grey",
        None: "grey",
    },
    labels={None: NOT_YET_INSPECTED},
)


class SupportedAccommodationOutcome(models.IntegerChoices):
    """Supported accommodation's three outcomes, judged at provider level (since 2023-24)."""

    OUTCOME_1 = 1, "Outcome 1: next inspection in about 3 years"
    OUTCOME_2 = 2, "Outcome 2: next inspection in about 18 months"
    OUTCOME_3 = 3, "Outcome 3: serious or widespread weaknesses"


tags.register(
    "sa_outcome",
    SupportedAccommodationOutcome,
    colours={
        SupportedAccommodationOutcome.OUTCOME_1: "green",
        SupportedAccommodationOutcome.OUTCOME_2: "yellow",
        SupportedAccommodationOutcome.OUTCOME_3: "red",
    },
)


class InspectionScale(models.TextChoices):
    FOUR_POINT = "four_point", "Overall judgement (Outstanding to Inadequate)"
    SUPPORTED_ACCOMMODATION = "supported_accommodation", "Supported accommodation outcome (1 to 3)"


class InspectionEvent(models.TextChoices):
    """What kind of Ofsted event an inspection was. Ofsted's in-year file lists every event of a
    year ("Inspection event type"): full inspections, which give the judgement, and the visits in
    between (monitoring visits after a weak judgement, assurance visits, and formerly interim
    inspections), which do not replace it."""

    FULL = "full", "Full inspection"
    MONITORING = "monitoring", "Monitoring visit"
    ASSURANCE = "assurance", "Assurance visit"
    OTHER = "other", "Interim inspection or other visit"


def event_type_for(text: str) -> str:
    """Our event type for Ofsted's words ("Full inspection", "Monitoring visit", "Interim inspection",
    "Assurance visit"…); blank is a full inspection, other words are "interim or other"."""
    words = " ".join((text or "").lower().split())
    if not words or "full" in words or words in ("standard inspection", "inspection"):
        return InspectionEvent.FULL
    if "monitoring" in words:
        return InspectionEvent.MONITORING
    if "assurance" in words:
        return InspectionEvent.ASSURANCE
    return InspectionEvent.OTHER


class OfstedInspectionQuerySet(models.QuerySet):
    def deciding(self):
        """The inspections that decide a setting's (or a supported accommodation provider's) current
        result: full inspections only. The one rule for "current judgement", used by
        providers.services.refresh_judgements, the provider page, the committee pack's figures and the
        review preparation: a later monitoring or assurance visit is recorded but never replaces the
        judgement of the latest full inspection (Ofsted's SCCIF: only a full inspection gives one)."""
        return self.filter(event_type=InspectionEvent.FULL)

    def behind_a_worst_current_result(self):
        """For each provider and scale, the latest inspection behind a current worst result: a four-point
        Inadequate that is the provider's current judgement, or a supported accommodation outcome 3
        that is its current outcome. Both scales alike, as Provider.needs_qa_lead_attention: the QA
        lead agrees an action plan and considers a placement stop (qa_portal/reporting/reminders.py)."""
        return (
            self.deciding()
            .filter(
                Q(
                    scale=InspectionScale.FOUR_POINT,
                    judgement=Judgement.INADEQUATE,
                    provider__current_judgement=Judgement.INADEQUATE,
                )
                | Q(
                    scale=InspectionScale.SUPPORTED_ACCOMMODATION,
                    sa_outcome=SupportedAccommodationOutcome.OUTCOME_3,
                    provider__current_sa_outcome=SupportedAccommodationOutcome.OUTCOME_3,
                )
            )
            .order_by("provider_id", "scale", "-inspection_date", "-pk")
            .distinct("provider_id", "scale")
        )


class OfstedInspection(models.Model):
    """One Ofsted inspection or visit: of a setting on the four-point scale, or of a supported
    accommodation provider (no setting) on the three-outcome scale. A full inspection always has its
    judgement (or outcome); a monitoring, assurance or other visit may have none. One record per
    provider, setting, scale, event type and date: the same event imported twice is one."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="inspections")
    setting = models.ForeignKey(
        "providers.Setting", on_delete=models.PROTECT, related_name="inspections", null=True, blank=True
    )
    scale = models.CharField(max_length=30, choices=InspectionScale, default=InspectionScale.FOUR_POINT)
    inspection_date = models.DateField(validators=[not_in_future])
    publication_date = models.DateField(null=True, blank=True, validators=[not_in_future])
    event_type = models.CharField(max_length=20, choices=InspectionEvent, default=InspectionEvent.FULL)
    judgement = models.PositiveSmallIntegerField(choices=Judgement, null=True, blank=True)
    sa_outcome = models.PositiveSmallIntegerField(
        "supported accommodation outcome", choices=SupportedAccommodationOutcome, null=True, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = OfstedInspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-inspection_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scale="four_point", sa_outcome__isnull=True)
                    & (Q(judgement__isnull=False) | ~Q(event_type="full"))
                )
                | (
                    Q(scale="supported_accommodation", judgement__isnull=True)
                    & (Q(sa_outcome__isnull=False) | ~Q(event_type="full"))
                ),
                name="inspection_judgement_matches_scale",
            ),
            models.UniqueConstraint(
                fields=["provider", "setting", "inspection_date", "scale", "event_type"],
                nulls_distinct=False,
                name="inspection_event_once_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.inspection_date:%d/%m/%Y}: {self.result_label}"

    @property
    def result_label(self) -> str:
        """The judgement or outcome in words; "No judgement" for a visit that gave none."""
        if self.scale == InspectionScale.SUPPORTED_ACCOMMODATION:
            return self.get_sa_outcome_display() if self.sa_outcome else NO_JUDGEMENT
        return self.get_judgement_display() if self.judgement else NO_JUDGEMENT

    @property
    def is_full(self) -> bool:
        return self.event_type == InspectionEvent.FULL

    def clean(self):
        super().clean()
        errors = {}
        full = self.event_type == InspectionEvent.FULL
        if self.scale == InspectionScale.FOUR_POINT:
            self.sa_outcome = None
            if self.judgement is None and full:
                errors["judgement"] = "Choose the overall judgement"
        else:
            self.judgement = None
            if self.sa_outcome is None and full:
                errors["sa_outcome"] = "Choose the outcome"
            if self.setting_id:
                errors["setting"] = (
                    "Supported accommodation outcomes are for the provider as a whole: leave the setting blank"
                )
        if (
            "setting" not in errors
            and self.setting_id
            and self.provider_id
            and self.setting.provider_id != self.provider_id
        ):
            errors["setting"] = "Choose one of this provider's settings"
        if self.publication_date and self.inspection_date and self.publication_date < self.inspection_date:
            errors["publication_date"] = "The publication date must be on or after the inspection date"
        if errors:
            raise ValidationError(errors)
