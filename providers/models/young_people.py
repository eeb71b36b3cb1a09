"""Young people (pseudonymised: initials and a case-record ID) and their placements with providers."""

from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models.register import PlacementStop, Provider, Setting
from providers.models.validators import not_in_future
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField


class Cohort(models.TextChoices):
    CHILD_IN_CARE = "child_in_care", "Child in care"
    CARE_LEAVER = "care_leaver", "Care leaver"


initials_validator = RegexValidator(r"^[A-Z]{1,4}$", "Enter initials only, as 1 to 4 capital letters, like JB")

# The ages each cohort is recorded at (DOMAIN.md; the Children (Leaving Care) Act 2000 and the Children and
# Social Work Act 2017): a child in care is under 18; a care leaver is 16 (eligible and relevant children)
# to 25 (support from a personal adviser ends at 25), both included.
COHORT_AGES = {Cohort.CHILD_IN_CARE: (0, 17), Cohort.CARE_LEAVER: (16, 25)}


def case_record_key(case_record_id: str) -> str:
    """A case-record ID as the register compares it: without surrounding spaces or leading zeros.

    Excel drops the leading zeros of a numeric ID (0012345 comes back as 12345), so two IDs that differ
    only by them are the same young person: in the import, in the forms and in the database (the unique
    index `young_person_case_record_key`, on `CASE_RECORD_KEY`, the same rule in SQL)."""
    return (case_record_id or "").strip().lstrip("0")


CASE_RECORD_KEY = models.Func(models.F("case_record_id"), models.Value("0"), function="LTRIM")


class YoungPersonQuerySet(models.QuerySet):
    def with_case_record_id(self, case_record_id: str):
        """The young person (a queryset of at most one) whose ID is `case_record_id`, leading zeros
        ignored (`case_record_key`)."""
        return self.alias(case_record_key=CASE_RECORD_KEY).filter(case_record_key=case_record_key(case_record_id))


class YoungPerson(models.Model):
    """A child in care or care leaver, pseudonymised: initials and the case-record ID only."""

    case_record_id = models.CharField(
        "case-record ID", max_length=30, unique=True, help_text="The Mosaic person ID, for example 1234567"
    )
    initials = models.CharField(max_length=4, validators=[initials_validator])
    date_of_birth = models.DateField(validators=[not_in_future])
    cohort = models.CharField(max_length=20, choices=Cohort)
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

    objects = YoungPersonQuerySet.as_manager()

    class Meta:
        ordering = ["initials", "case_record_id"]
        verbose_name_plural = "young people"
        permissions = [
            ("view_access_log", "Can see who has seen a young person's record"),
            ("export_subject_access", "Can make a subject-access export of a young person's record"),
            ("anonymise_youngperson", "Can review young people past their retention and anonymise them"),
        ]
        constraints = [
            models.UniqueConstraint(
                CASE_RECORD_KEY,
                name="young_person_case_record_key",
                violation_error_message="A young person with this case-record ID is already recorded (leading "
                "zeros do not make a different ID)",
            ),
        ]

    def __str__(self):
        return f"{self.initials} ({self.case_record_id})"

    def get_absolute_url(self):
        return reverse("providers:young_person_detail", args=[self.pk])

    def clean(self):
        super().clean()
        self.initials = (self.initials or "").replace(".", "").replace(" ", "").upper()
        self.case_record_id = (self.case_record_id or "").strip()

    def age_on(self, on: date) -> int:
        return age_on(self.date_of_birth, on)

    @staticmethod
    def age_for_cohort_problem(date_of_birth: date | None, cohort: str | None, *, on: date) -> str:
        """Why a young person born on `date_of_birth` cannot be recorded in `cohort` on the day `on`
        (`COHORT_AGES`), or "" if they can. The young person form and the placements import both ask,
        on the day the record is made; a record held as the years pass is not refused for ageing."""
        if not date_of_birth or cohort not in COHORT_AGES:
            return ""
        youngest, oldest = COHORT_AGES[cohort]
        age = age_on(date_of_birth, on)
        if youngest <= age <= oldest:
            return ""
        if cohort == Cohort.CHILD_IN_CARE:
            rule = "A child in care is under 18"
        else:
            rule = f"A care leaver is {youngest} to {oldest}"
        return f"{rule}, and this date of birth makes them {age}. Check the date of birth, or the cohort"

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def is_anonymised(self) -> bool:
        """Anonymised once past the retention period (providers.retention): the record is kept for the
        counts, its identifying values gone."""
        return hasattr(self, "anonymisation")


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on the day `on` (a birthday on 29 February comes on 1 March)."""
    return on.year - date_of_birth.year - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))


class PlacementEnding(models.TextChoices):
    """How a placement ended: an unplanned ending (a breakdown, a notice to leave, a move in a crisis)
    in the last months makes the provider Medium risk (reviews.risk)."""

    PLANNED = "planned", "Planned"
    UNPLANNED = "unplanned", "Unplanned"


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

    def confirmed_despite_stop(self):
        """Placements recorded at a provider under a placement stop (or not to be used), each confirmed
        by a QA lead or commissioning officer with a reason."""
        return self.filter(stop_confirmed_at__isnull=False)

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
    ending = models.CharField("how the placement ended", max_length=20, choices=PlacementEnding, blank=True)
    high_cost = models.BooleanField("high cost", default=False)
    # Recording a placement at a provider under a placement stop needs a confirmation with a reason
    # (PlacementForm; the placements import refuses such rows): who confirmed it, when and why.
    stop_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="confirmed despite the placement stop by",
    )
    stop_confirmed_at = models.DateTimeField("confirmed despite the placement stop on", null=True, blank=True)
    stop_reason = LimitedTextField(
        "why it was confirmed despite the placement stop", blank=True, max_length=limits.REASON
    )
    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        permissions = [
            ("confirm_placement_despite_stop", "Can confirm a placement with a provider under a placement stop"),
        ]
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

    def confirm_despite_stop(self, *, stop: PlacementStop, by, reason: str) -> None:
        """Record on this (unsaved) placement that `by` confirmed it despite `stop`, and why; the
        confirmation goes into the change history, with `by` and the stop, when the placement is saved."""
        self.stop_confirmed_by, self.stop_confirmed_at, self.stop_reason = by, timezone.now(), reason.strip()
        self._history_user = by
        self._change_reason = f"Confirmed despite the placement stop ({stop}): {self.stop_reason}"

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
        if self.ending and not self.end_date:
            errors["ending"] = "Give the end date, or leave how the placement ended blank"
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


class YoungPersonAnonymisation(models.Model):
    """The record that a young person's record was anonymised past its retention period
    (providers.retention): who did it, when, why, and how much was changed. It names the record by its
    new values only; what it held before is gone, from the record's history too."""

    young_person = models.OneToOneField(YoungPerson, on_delete=models.PROTECT, related_name="anonymisation")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300, help_text="Why it was due: past the age, or long since placed")
    fields_changed = models.PositiveIntegerField(help_text="Values changed or cleared, on the record and elsewhere")
    history_rows_scrubbed = models.PositiveIntegerField(help_text="Rows of change history rewritten")
    details = models.JSONField(default=list, blank=True, help_text="What was done, one line each")

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.young_person} anonymised on {self.at:%d/%m/%Y}"
