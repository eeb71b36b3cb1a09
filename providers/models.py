"""The provider register: providers, their settings, Ofsted inspections, young people,
placements and concerns. Pseudonymised throughout: young people are initials and a
case-record ID, never names or photos."""

import re
from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Lower, Replace, Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


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


# Each status as it reads in a sentence: "Northgate Homes is under a placement stop".
STATUS_IN_A_SENTENCE = {
    ProviderStatus.ACTIVE: "active",
    ProviderStatus.PLACEMENT_STOP: "under a placement stop",
    ProviderStatus.NOT_TO_BE_USED: "marked not to be used",
    ProviderStatus.ARCHIVED: "archived",
}
# Statuses under which no new placement may start.
NO_NEW_PLACEMENTS = (ProviderStatus.PLACEMENT_STOP, ProviderStatus.NOT_TO_BE_USED)


class Judgement(models.IntegerChoices):
    """Ofsted's four-point overall judgement (older files code them 1 to 4, and 5 for not judged)."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement to be good"
    INADEQUATE = 4, "Inadequate"
    NOT_JUDGED = 5, "Not judged"


class SupportedAccommodationOutcome(models.IntegerChoices):
    """Supported accommodation's three outcomes, judged at provider level (since 2023-24)."""

    OUTCOME_1 = 1, "Outcome 1: next inspection in about 3 years"
    OUTCOME_2 = 2, "Outcome 2: next inspection in about 18 months"
    OUTCOME_3 = 3, "Outcome 3: serious or widespread weaknesses"


NOT_YET_INSPECTED = "Not yet inspected"

urn_validator = RegexValidator(
    r"^(SC\d{6}|\d{6,7})$",
    "Enter the Ofsted URN as SC and 6 digits, like SC123456, or as 6 or 7 digits for a school or "
    "supported accommodation provider",
)
postcode_validator = RegexValidator(
    r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$",
    "Enter a real postcode, like SW1A 1AA",
    flags=re.IGNORECASE,
)


def normalise_postcode(value: str) -> str:
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def not_in_future(value: date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError("The date must be today or in the past")


class ProviderQuerySet(models.QuerySet):
    def not_archived(self):
        return self.exclude(status=ProviderStatus.ARCHIVED)

    def needing_qa_lead_attention(self):
        """Providers the QA lead should agree an action plan with: an Inadequate current judgement
        or supported accommodation outcome 3 (archived providers are no longer used)."""
        return self.not_archived().filter(
            Q(current_judgement=Judgement.INADEQUATE) | Q(current_sa_outcome=SupportedAccommodationOutcome.OUTCOME_3)
        )

    def with_active_placement_count(self, on: date | None = None):
        on = on or timezone.localdate()
        count = (
            Placement.objects.active_on(on)
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
        models.CharField(max_length=40, choices=ProvisionType.choices),
        default=list,
        blank=True,
        help_text="Every kind of provision this provider offers.",
    )
    contract_route = models.CharField(max_length=20, choices=ContractRoute.choices, default=ContractRoute.SPOT)
    status = models.CharField(max_length=20, choices=ProviderStatus.choices, default=ProviderStatus.ACTIVE)
    high_cost = models.BooleanField("high cost", default=False)
    new_to_authority = models.BooleanField("new to the authority", default=False)
    head_office_area = models.CharField(
        "local authority area of head office", max_length=100, blank=True, help_text="For example, Kent"
    )
    notes = models.TextField(blank=True)
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

    objects = ProviderQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        permissions = [("view_change_history", "Can see who changed what in the provider register")]
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

    @property
    def status_in_a_sentence(self) -> str:
        return STATUS_IN_A_SENTENCE[self.status]

    def status_since(self) -> date | None:
        """The day the provider last moved into its current status, if that change was recorded."""
        change = self.status_changes.filter(to_status=self.status).order_by("-changed_at", "-pk").first()
        return timezone.localdate(change.changed_at) if change else None


class ProviderStatusChange(models.Model):
    """Why and when a provider's status changed: a placement stop is never silent."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=ProviderStatus.choices)
    to_status = models.CharField(max_length=20, choices=ProviderStatus.choices)
    reason = models.TextField()
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
    setting_type = models.CharField(max_length=40, choices=ProvisionType.choices)
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


class InspectionScale(models.TextChoices):
    FOUR_POINT = "four_point", "Overall judgement (Outstanding to Inadequate)"
    SUPPORTED_ACCOMMODATION = "supported_accommodation", "Supported accommodation outcome (1 to 3)"


class OfstedInspection(models.Model):
    """One Ofsted inspection: of a setting on the four-point scale, or of a supported
    accommodation provider (no setting) on the three-outcome scale."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="inspections")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="inspections", null=True, blank=True)
    scale = models.CharField(max_length=30, choices=InspectionScale.choices, default=InspectionScale.FOUR_POINT)
    inspection_date = models.DateField(validators=[not_in_future])
    publication_date = models.DateField(null=True, blank=True, validators=[not_in_future])
    event_type = models.CharField(max_length=100, blank=True, help_text="For example, Full inspection")
    judgement = models.PositiveSmallIntegerField(choices=Judgement.choices, null=True, blank=True)
    sa_outcome = models.PositiveSmallIntegerField(
        "supported accommodation outcome", choices=SupportedAccommodationOutcome.choices, null=True, blank=True
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

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


class Cohort(models.TextChoices):
    CHILD_IN_CARE = "child_in_care", "Child in care"
    CARE_LEAVER = "care_leaver", "Care leaver"


initials_validator = RegexValidator(r"^[A-Z]{1,4}$", "Enter initials only, as 1 to 4 capital letters, like JB")


class YoungPerson(models.Model):
    """A child in care or care leaver, pseudonymised: initials and the case-record ID only."""

    case_record_id = models.CharField(
        "case-record ID", max_length=30, unique=True, help_text="The Mosaic person ID, for example 1234567"
    )
    initials = models.CharField(max_length=4, validators=[initials_validator])
    date_of_birth = models.DateField(validators=[not_in_future])
    cohort = models.CharField(max_length=20, choices=Cohort.choices)
    ehcp = models.BooleanField("has an EHCP", default=False)
    send = models.BooleanField("has SEND", default=False)
    uasc = models.BooleanField("UASC", default=False, help_text="Unaccompanied asylum-seeking child")
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocated_young_people",
        verbose_name="allocated social worker",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["initials", "case_record_id"]
        verbose_name_plural = "young people"

    def __str__(self):
        return f"{self.initials} ({self.case_record_id})"

    def get_absolute_url(self):
        return reverse("providers:young_person_detail", args=[self.pk])

    def clean(self):
        super().clean()
        self.initials = (self.initials or "").replace(".", "").replace(" ", "").upper()
        self.case_record_id = (self.case_record_id or "").strip()

    def age_on(self, on: date) -> int:
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())


class PlacementQuerySet(models.QuerySet):
    # The end date is the day the young person left: they are not placed there on that day.

    def active_on(self, on: date):
        """Placements the young person was living in on the day `on`."""
        return self.active_between(on, on)

    def active(self):
        """Placements active today."""
        return self.active_on(timezone.localdate())

    def active_between(self, start: date, end: date):
        """Placements active on at least one day from `start` to `end` (both included): the cohort of a
        period, as the committee pack counts it, or the young people a review meeting discusses."""
        return self.filter(start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gt=start))

    def overlapping(self, young_person_id, start: date, end: date | None):
        qs = self.filter(young_person_id=young_person_id).filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        return qs.filter(start_date__lt=end) if end else qs


class Placement(models.Model):
    """A young person living with a provider (and, where known, at one of its settings).

    The end date is the day they left: a placement ending on the 10th and the next
    starting on the 10th do not overlap."""

    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="placements")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="placements")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="placements", null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    high_cost = models.BooleanField("high cost", default=False)
    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="placement_ends_after_it_starts",
            ),
            # The database itself refuses two overlapping placements for one young person.
            ExclusionConstraint(
                name="placement_no_overlap",
                expressions=[
                    (
                        models.Func(
                            models.F("start_date"),
                            models.F("end_date"),
                            models.Value("[)"),
                            function="daterange",
                            output_field=DateRangeField(),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    ("young_person", RangeOperators.EQUAL),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.young_person} at {self.provider} from {self.start_date:%d/%m/%Y}"

    def is_active_on(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or self.end_date > on)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())

    def clean(self):
        super().clean()
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date"
        if self.setting_id and self.provider_id and self.setting.provider_id != self.provider_id:
            errors["setting"] = "Choose one of this provider's settings"
        if self.young_person_id and self.start_date and "end_date" not in errors:
            clash = (
                Placement.objects.overlapping(self.young_person_id, self.start_date, self.end_date)
                .exclude(pk=self.pk)
                .select_related("provider")
                .first()
            )
            if clash:
                until = f"{clash.end_date:%d/%m/%Y}" if clash.end_date else "now"
                errors["start_date"] = (
                    f"{self.young_person.initials} is already placed with {clash.provider} "
                    f"from {clash.start_date:%d/%m/%Y} to {until}"
                )
        if errors:
            raise ValidationError(errors)


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


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Open"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"


class ConcernQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=ConcernStatus.CLOSED)


class Concern(models.Model):
    """Intelligence about a provider; may trigger a visit or an urgent review meeting."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="concerns")
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, related_name="concerns", null=True, blank=True)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="concerns", null=True, blank=True
    )
    source = models.CharField(max_length=30, choices=ConcernSource.choices)
    received_on = models.DateField("date received", validators=[not_in_future])
    summary = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    outcome = models.TextField(blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    objects = ConcernQuerySet.as_manager()

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


class ImportKind(models.TextChoices):
    OFSTED = "ofsted", "Ofsted provider-level data"
    PLACEMENTS = "placements", "Placements from the case-record system"


class ImportRun(models.Model):
    """An uploaded file: previewed (dry run) first, then applied once. Kept as the record of
    what was imported, by whom and with what result."""

    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    filename = models.CharField(max_length=255)
    content = models.TextField(help_text="The file's text, decoded")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.filename}"
