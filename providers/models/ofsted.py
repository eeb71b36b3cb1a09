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


class OfstedInspectionQuerySet(models.QuerySet):
    def behind_a_worst_current_result(self):
        """For each provider and scale, the latest inspection behind a current worst result: a four-point
        Inadequate that is the provider's current judgement, or a supported accommodation outcome 3
        that is its current outcome. Both scales alike, as Provider.needs_qa_lead_attention: the QA
        lead agrees an action plan and considers a placement stop (qa_portal/reporting/reminders.py)."""
        return (
            self.filter(
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
    """One Ofsted inspection: of a setting on the four-point scale, or of a supported
    accommodation provider (no setting) on the three-outcome scale."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="inspections")
    setting = models.ForeignKey(
        "providers.Setting", on_delete=models.PROTECT, related_name="inspections", null=True, blank=True
    )
    scale = models.CharField(max_length=30, choices=InspectionScale, default=InspectionScale.FOUR_POINT)
    inspection_date = models.DateField(validators=[not_in_future])
    publication_date = models.DateField(null=True, blank=True, validators=[not_in_future])
    event_type = models.CharField(max_length=100, blank=True, help_text="For example, Full inspection")
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
                condition=(Q(scale="four_point", judgement__isnull=False, sa_outcome__isnull=True))
                | Q(scale="supported_accommodation", sa_outcome__isnull=False, judgement__isnull=True),
                name="inspection_judgement_matches_scale",
            ),
            models.UniqueConstraint(
                fields=["provider", "setting", "inspection_date", "scale"],
                nulls_distinct=False,
                name="inspection_once_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.inspection_date:%d/%m/%Y}: {self.result_label}"

    @property
    def result_label(self) -> str:
        if self.scale == InspectionScale.SUPPORTED_ACCOMMODATION:
            return self.get_sa_outcome_display()
        return self.get_judgement_display()

    def clean(self):
        super().clean()
        errors = {}
        if self.scale == InspectionScale.FOUR_POINT:
            self.sa_outcome = None
            if self.judgement is None:
                errors["judgement"] = "Choose the overall judgement"
        else:
            self.judgement = None
            if self.sa_outcome is None:
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
