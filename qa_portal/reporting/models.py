"""The committee report (narrative drafted by managers) and every generated version of its pack; the
weights of "Which provider to visit next"."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from qa_portal import tags
from qa_portal.dates import as_typed, period_problem
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from qa_portal.periods import FinancialYear


def default_period_start() -> date:
    """The committee reports on the last full financial year unless told otherwise."""
    return FinancialYear.last_full().start


def default_period_end() -> date:
    return FinancialYear.last_full().end


class CommitteeReport(models.Model):
    """The annual report to the committee for a period. Managers write the narrative parts
    here as a draft; the figures and tables come from the data each time a pack is generated."""

    title = models.CharField(max_length=200)
    period_start = models.DateField("start of the period", default=default_period_start)
    period_end = models.DateField("end of the period", default=default_period_end)
    introduction = LimitedTextField(blank=True, max_length=limits.NARRATIVE)
    learning = LimitedTextField(blank=True, max_length=limits.NARRATIVE)
    future_plans = LimitedTextField("future plans", blank=True, max_length=limits.NARRATIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Also the optimistic lock: a save names the updated_at it started from.
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-pk"]
        permissions = [("view_committee_pack", "Can write committee reports and generate their packs")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="committee_period_in_order",
                violation_error_message="The start of the period must be on or before its end",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("committee:report_detail", args=[self.pk])

    @property
    def period_problem(self) -> str | None:
        """Why the stored period is not one a committee reports on (`qa_portal.dates.period_problem`:
        a report saved before periods were checked may run from 1 January 0001), or None. The report's
        page then shows no figures, says why, and offers to correct the period."""
        problem = period_problem(self.period_start, self.period_end)
        return problem[1] if problem else None

    @property
    def period_label(self) -> str:
        if self.period_problem:
            return f"{as_typed(self.period_start)} to {as_typed(self.period_end)}"
        year = FinancialYear.containing(self.period_start)
        if (year.start, year.end) == (self.period_start, self.period_end):
            return year.label
        return f"{self.period_start:%-d %B %Y} to {self.period_end:%-d %B %Y}"


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Being made"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


tags.register(
    "pack_status",
    PackStatus,
    colours={PackStatus.QUEUED: "grey", PackStatus.RUNNING: "blue", PackStatus.DONE: "green", PackStatus.FAILED: "red"},
)


class CommitteePackVersion(models.Model):
    """One generated committee pack. Every version is kept, with who asked for it and when.

    The PDF is stored in the database, not on disk: the worker that makes it and the web
    server that hands it out may be different machines."""

    report = models.ForeignKey(CommitteeReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(max_length=20, choices=PackStatus, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_message = models.CharField(max_length=200, blank=True)
    # When it was last handed to the broker: the catch-up hands a version still queued a while
    # later to the broker again (the broker was down, or lost its queue).
    queued_at = models.DateTimeField(default=timezone.now)
    # Each time a worker takes the version: a worker that dies while making it leaves it "being
    # made", and the catch-up queues it again, up to committee.build.MAX_ATTEMPTS times.
    attempts = models.PositiveSmallIntegerField(default=0)
    worker = models.CharField(max_length=200, blank=True, help_text="The worker making it (its Celery node name)")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker making it, every half a minute"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pdf_size = models.PositiveIntegerField(null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="pack_version_number_unique"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="pack_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.report}, version {self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status in (PackStatus.DONE, PackStatus.FAILED)

    def filename(self) -> str:
        return f"committee-pack-{self.period_start:%Y-%m-%d}-to-{self.period_end:%Y-%m-%d}-v{self.number}.pdf"


class FlagTold(models.Model):
    """A flag on a provider that the QA leads have been told of (reminders.providers_to_flag), so each
    is told once, when it arises, however often the reminders run and whoever becomes a QA lead
    later. A flag is its source record: the inspection behind a current Inadequate judgement or
    supported accommodation outcome 3, or the visit that said "no" to "good enough for my own
    child?". A later inspection or visit is a new source, so a new Inadequate after a better
    judgement is told again."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.CASCADE, related_name="+")
    source_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    told_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "source_type", "source_id"], name="each_flag_told_once"),
        ]

    def __str__(self):
        return f"Flag on provider {self.provider_id} told {self.told_at:%d/%m/%Y}"


# Points are whole numbers from 0 to 100; months from 1 to 60 (five years).
_POINTS = [MinValueValidator(0), MaxValueValidator(100, "Give a number of points from 0 to 100")]
_MONTHS = [
    MinValueValidator(1, "Give a number of months from 1 to 60"),
    MaxValueValidator(60, "Give a number of months from 1 to 60"),
]


def _points(verbose_name: str, default: int, help_text: str = "") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(verbose_name, default=default, validators=_POINTS, help_text=help_text)


class VisitNextWeights(models.Model):
    """How much each reason for choosing a provider counts in "Which provider to visit next"
    (qa_portal.reporting.visit_next). One row, changed by administrators in the admin, never added
    or deleted; each change is kept with who made it and when (`history`, and the admin's History).

    The reasons are those the City's annual report gives for choosing whom to visit (seeds/000, its
    "Quality Assurance Visits": the number of young people, particularly vulnerable children, providers
    newer to working with the City, concerns raised by young people or their social workers, high cost),
    and issue 17's: the time since the last QA visit, the risk rating and open Regulation 44 issues."""

    per_young_person = _points("points for each young person placed", 2)
    per_vulnerable_young_person = _points(
        "points for each young person with an EHCP, SEND or another vulnerability",
        4,
        "UASC, or under 16 in supported accommodation, count as vulnerabilities too; each young person "
        "counts once however many they have",
    )
    new_to_authority = _points("points for a provider new to the authority", 10)
    concern_high = _points("points for each High concern", 6)
    concern_medium = _points("points for each Medium concern", 3)
    concern_low = _points("points for each Low concern", 1)
    concern_months = models.PositiveSmallIntegerField(
        "concerns received in the last … months count",
        default=12,
        validators=_MONTHS,
        help_text="Older concerns add nothing",
    )
    recent_concern_months = models.PositiveSmallIntegerField(
        "a concern is recent for … months", default=3, validators=_MONTHS
    )
    recent_concern_factor = models.PositiveSmallIntegerField(
        "a recent concern counts … times",
        default=2,
        validators=[
            MinValueValidator(1, "Give a number from 1 to 10"),
            MaxValueValidator(10, "Give a number from 1 to 10"),
        ],
    )
    high_cost = _points("points for a high-cost provider or placement", 5)
    per_month_since_visit = _points("points for each month since the last QA visit", 1)
    months_since_visit_counted = models.PositiveSmallIntegerField(
        "months since the last QA visit are counted up to",
        default=24,
        validators=_MONTHS,
    )
    never_visited = _points("points for a provider never visited", 30)
    risk_high = _points("points for a High risk rating", 15)
    risk_medium = _points("points for a Medium risk rating", 6)
    per_regulation_44_issue = _points(
        "points for each open Regulation 44 issue",
        4,
        "A concern from a Regulation 44 report, not yet closed",
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    # The weights that are points, for "at least one must count".
    POINTS = (
        "per_young_person",
        "per_vulnerable_young_person",
        "new_to_authority",
        "concern_high",
        "concern_medium",
        "concern_low",
        "high_cost",
        "per_month_since_visit",
        "never_visited",
        "risk_high",
        "risk_medium",
        "per_regulation_44_issue",
    )

    class Meta:
        verbose_name = "weights of which provider to visit next"
        verbose_name_plural = "weights of which provider to visit next"
        permissions = [
            ("view_visit_next", "Can see which provider to visit next"),
            ("view_visit_programme", "Can see the visit programme"),
        ]

    def __str__(self):
        return "Weights of which provider to visit next"

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.recent_concern_months is not None
            and self.concern_months  # 0 or blank is refused beside its own box
            and self.recent_concern_months > self.concern_months
        ):
            errors["recent_concern_months"] = (
                f"A recent concern must fall within the {self.concern_months} months that count: "
                f"give {self.concern_months} months or fewer"
            )
        if all(getattr(self, name) == 0 for name in self.POINTS):
            errors["per_young_person"] = "Give at least one reason some points, or every provider scores 0"
        if errors:
            raise ValidationError(errors)

    @classmethod
    def current(cls) -> "VisitNextWeights":
        """The one row of weights, made with the defaults if it does not exist yet."""
        return cls.objects.order_by("pk").first() or cls.objects.create()


def ensure_visit_next_weights(**_kwargs) -> None:
    """Put the default weights in place unless an administrator's are there (post_migrate, as the
    review cadence's thresholds are: reviews.models.meetings.ensure_cadence_thresholds)."""
    VisitNextWeights.current()
