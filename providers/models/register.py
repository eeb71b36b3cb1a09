"""The register itself: providers (their status, provision types and contract route), the changes of
status, their contacts, and their settings."""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Lower, Replace, Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models.ofsted import NOT_YET_INSPECTED, Judgement, SupportedAccommodationOutcome
from providers.models.risk import RiskRating
from providers.models.validators import normalise_postcode, not_in_future, postcode_validator, urn_validator
from qa_portal import tags
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from qa_portal.models import User
from qa_portal.roles import Role


class ProvisionType(models.TextChoices):
    FOSTERING = "fostering", "Independent fostering agency"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    SUPPORTED_ACCOMMODATION = "supported_accommodation", "Supported accommodation"
    RESIDENTIAL_SCHOOL = "residential_school", "Residential special school"
    OTHER = "other", "Other"


class ContractRoute(models.TextChoices):
    BLOCK = "block", "Block contract"
    FRAMEWORK = "framework", "Framework"
    SPOT = "spot", "Spot purchase"


class ProviderStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PLACEMENT_STOP = "placement_stop", "Placement stop"
    NOT_TO_BE_USED = "not_to_be_used", "Not to be used"
    ARCHIVED = "archived", "Archived"


tags.register(
    "provider_status",
    ProviderStatus,
    colours={
        ProviderStatus.ACTIVE: "green",
        ProviderStatus.PLACEMENT_STOP: "red",
        ProviderStatus.NOT_TO_BE_USED: "orange",
        ProviderStatus.ARCHIVED: "grey",
    },
)

# What a provider, placement or young person is flagged with, beside its name.
tags.register(
    "provider_flag",
    colours={
        "high_cost": "purple",
        "new_to_authority": "blue",
        "ehcp": "blue",
        "send": "turquoise",
        "uasc": "purple",
        "current": "green",
        "of_concern": "red",
    },
    labels={
        "high_cost": "High cost",
        "new_to_authority": "New to the authority",
        "ehcp": "EHCP",
        "send": "SEND",
        "uasc": "UASC",
        "current": "Now",
        "of_concern": "Of concern",
    },
)


# Each status as it reads in a sentence: "Northgate Homes is under a placement stop".
STATUS_IN_A_SENTENCE = {
    ProviderStatus.ACTIVE: "active",
    ProviderStatus.PLACEMENT_STOP: "under a placement stop",
    ProviderStatus.NOT_TO_BE_USED: "marked not to be used",
    ProviderStatus.ARCHIVED: "archived",
}
# Statuses under which no new placement may start.
NO_NEW_PLACEMENTS = (ProviderStatus.PLACEMENT_STOP, ProviderStatus.NOT_TO_BE_USED)
# Each of them as it reads in a sentence about new placements: "Northgate Homes is on placement stop since …".
_STOP_IN_A_SENTENCE = {
    ProviderStatus.PLACEMENT_STOP: "on placement stop",
    ProviderStatus.NOT_TO_BE_USED: "marked not to be used",
}


@dataclass(frozen=True)
class PlacementStop:
    """A provider that takes no new placements (under a placement stop, or marked not to be used),
    and the day it became so (None if that change was never recorded).

    The one rule for "this provider is under a stop": `Provider.placement_stop()` makes it, and every
    way of recording a placement asks it (the placement form asks for a confirmation with a reason,
    the placements import refuses the row)."""

    provider_name: str
    status: str
    since: date | None

    def __str__(self) -> str:
        """ "Harbour Lights Fostering is on placement stop since 3 November 2026" """
        since = f" since {self.since.day} {self.since:%B %Y}" if self.since else ""
        return f"{self.provider_name} is {_STOP_IN_A_SENTENCE[self.status]}{since}"


class ProviderQuerySet(models.QuerySet):
    def not_archived(self):
        """Providers still in use: active, under a placement stop or not to be used."""
        return self.exclude(status=ProviderStatus.ARCHIVED)

    def needing_qa_lead_attention(self):
        """Providers the QA lead should agree an action plan with: an Inadequate current judgement
        or supported accommodation outcome 3 (archived providers are no longer used)."""
        return self.not_archived().filter(
            Q(current_judgement=Judgement.INADEQUATE) | Q(current_sa_outcome=SupportedAccommodationOutcome.OUTCOME_3)
        )

    def with_active_placement_count(self, on: date | None = None):
        """Each provider with `active_placements`: how many placements are active there on `on`
        (default today), in one subquery."""
        on = on or timezone.localdate()
        # Placement's module imports this one, so the model is reached through the relation.
        placement = self.model._meta.get_field("placements").related_model
        count = (
            placement.objects.active_on(on)
            .filter(provider=OuterRef("pk"))
            .order_by()
            .values("provider")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            active_placements=models.functions.Coalesce(models.Subquery(count), 0),
        )

    def in_area(self, local_authority: str):
        """Providers with a setting in the local authority area, ignoring case."""
        return self.filter(
            Exists(Setting.objects.filter(provider=OuterRef("pk"), local_authority__iexact=local_authority))
        )

    def search(self, text: str):
        """Name, or a setting's URN or postcode."""
        text = (text or "").strip()
        if not text:
            return self
        compact = re.sub(r"\s+", "", text)
        settings_match = Setting.objects.filter(provider=OuterRef("pk")).filter(
            Q(urn__iexact=compact) | Q(postcode_compact__icontains=compact) | Q(name__icontains=text)
        )
        return self.filter(Q(name__icontains=text) | Exists(settings_match))


class Provider(models.Model):
    """A care provider organisation the authority commissions."""

    name = models.CharField(max_length=200)
    provision_types = ArrayField(
        models.CharField(max_length=40, choices=ProvisionType),
        default=list,
        blank=True,
        help_text="Every kind of provision this provider offers.",
    )
    contract_route = models.CharField(max_length=20, choices=ContractRoute, default=ContractRoute.SPOT)
    status = models.CharField(max_length=20, choices=ProviderStatus, default=ProviderStatus.ACTIVE)
    high_cost = models.BooleanField("high cost", default=False)
    new_to_authority = models.BooleanField("new to the authority", default=False)
    head_office_area = models.CharField(
        "local authority area of head office", max_length=100, blank=True, help_text="For example, Kent"
    )
    notes = LimitedTextField(blank=True, max_length=limits.SUMMARY)
    commissioning_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers_commissioned",
        help_text="Told when reviews are scheduled; if blank, every commissioning officer is told",
    )
    # Kept in step by providers.services whenever inspections change: the worst of each
    # setting's latest four-point judgement, and the latest supported accommodation outcome.
    current_judgement = models.PositiveSmallIntegerField(choices=Judgement.choices, null=True, blank=True)
    current_sa_outcome = models.PositiveSmallIntegerField(
        "current supported accommodation outcome", choices=SupportedAccommodationOutcome.choices, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The risk rating shown (an override's while one is in force, else the rules'), the rules' own, and
    # the rules' reasons: [{"rule", "rating", "text", "permission"}], worst first. Kept in step by
    # reviews.risk whenever the evidence changes and daily (providers.risk records each change), so
    # lists filter and sort by a column. Not in the change history: RiskRatingChange is its history.
    risk_rating = models.PositiveSmallIntegerField(
        choices=RiskRating, default=RiskRating.LOW, db_index=True, editable=False
    )
    risk_rules_rating = models.PositiveSmallIntegerField(
        "risk rating by the rules", choices=RiskRating, default=RiskRating.LOW, editable=False
    )
    risk_reasons = models.JSONField(default=list, blank=True, editable=False)
    risk_rated_at = models.DateTimeField(null=True, blank=True, editable=False)
    risk_override = models.ForeignKey(
        "providers.RiskOverride", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = ProviderQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["risk_rating", "risk_rules_rating", "risk_reasons", "risk_rated_at", "risk_override"]
    )

    class Meta:
        ordering = ["name"]
        permissions = [
            ("view_change_history", "Can see who changed what in the provider register"),
            ("override_risk_rating", "Can override a provider's risk rating"),
        ]
        constraints = [models.UniqueConstraint(Lower("name"), name="provider_name_unique_ignoring_case")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("providers:provider_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.status == ProviderStatus.ARCHIVED

    @property
    def provision_type_labels(self) -> list[str]:
        labels = dict(ProvisionType.choices)
        return [labels.get(value, value) for value in self.provision_types]

    @property
    def judgement_label(self) -> str:
        parts = []
        if self.current_judgement:
            parts.append(self.get_current_judgement_display())
        if self.current_sa_outcome:
            parts.append(f"Supported accommodation {self.get_current_sa_outcome_display()}")
        return "; ".join(parts) or NOT_YET_INSPECTED

    @property
    def needs_qa_lead_attention(self) -> bool:
        return (
            self.current_judgement == Judgement.INADEQUATE
            or self.current_sa_outcome == SupportedAccommodationOutcome.OUTCOME_3
        )

    def commissioning_officers(self) -> list:
        """Who is told about this provider on commissioning's side: its own commissioning officer, or
        every active commissioning officer while none is assigned (or theirs is switched off)."""
        if self.commissioning_officer_id and self.commissioning_officer.is_active:
            return [self.commissioning_officer]
        return list(User.objects.active_with_role(Role.COMMISSIONING_OFFICER))

    @property
    def status_in_a_sentence(self) -> str:
        return STATUS_IN_A_SENTENCE[self.status]

    def placement_stop(self) -> PlacementStop | None:
        """The stop on new placements this provider is under now, or None if it takes placements.
        One query (for the day of the stop) when under a stop, none otherwise."""
        if self.status not in NO_NEW_PLACEMENTS:
            return None
        return PlacementStop(provider_name=self.name, status=self.status, since=self.status_since())

    def status_since(self) -> date | None:
        """The day the provider last moved into its current status, if that change was recorded."""
        change = self.status_changes.filter(to_status=self.status).order_by("-changed_at", "-pk").first()
        return timezone.localdate(change.changed_at) if change else None


class ProviderStatusChange(models.Model):
    """Why and when a provider's status changed: a placement stop is never silent."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ProviderStatus)
    to_status = models.CharField(max_length=20, choices=ProviderStatus)
    reason = LimitedTextField(max_length=limits.REASON)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.provider}: {self.get_from_status_display()} to {self.get_to_status_display()}"


class Contact(models.Model):
    """A person at a provider: receives shared visit reports and review invitations."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=150)
    role = models.CharField("job title or role", max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    receives_reports = models.BooleanField("sent visit reports", default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Setting(models.Model):
    """A home, scheme or premises of a provider; registered ones carry an Ofsted URN."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="settings")
    name = models.CharField(max_length=200)
    setting_type = models.CharField(max_length=40, choices=ProvisionType)
    urn = models.CharField(
        "Ofsted URN", max_length=10, blank=True, validators=[urn_validator], help_text="For example, SC123456"
    )
    address = models.CharField("address", max_length=300, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True, validators=[postcode_validator])
    # The postcode without spaces, so search matches "EC2V7HH" and "EC2V 7HH" alike.
    postcode_compact = models.GeneratedField(
        expression=Upper(Replace("postcode", Value(" "), Value(""))),
        output_field=models.CharField(max_length=10),
        db_persist=True,
    )
    local_authority = models.CharField(
        "local authority area", max_length=100, blank=True, help_text="Where the setting is, for example Kent"
    )
    capacity = models.PositiveSmallIntegerField("places", null=True, blank=True)
    registration_status = models.CharField(max_length=60, blank=True)
    registration_date = models.DateField(null=True, blank=True, validators=[not_in_future])
    is_archived = models.BooleanField("archived", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"],
                condition=~Q(urn=""),
                name="setting_urn_unique",
                violation_error_message="Another setting already has this URN",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        self.urn = (self.urn or "").strip().upper()
        if self.postcode:
            self.postcode = normalise_postcode(self.postcode)

    @property
    def ofsted_report_url(self) -> str:
        return f"https://reports.ofsted.gov.uk/provider/2/{self.urn}" if self.urn else ""
