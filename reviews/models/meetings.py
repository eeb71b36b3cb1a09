"""Commissioning review meetings: the cadence set by placement volume, the meetings themselves, the
contractual compliance checklist and the outcomes for young people recorded at them."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models import Provider, YoungPerson
from qa_portal import tags
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from qa_portal.periods import Month
from qa_portal.working_days import working_day_on_or_after, working_day_on_or_before


class Cadence(models.TextChoices):
    QUARTERLY = "quarterly", "Quarterly"
    HALF_YEARLY = "half_yearly", "Half-yearly"
    ANNUAL = "annual", "Annual"
    NONE = "none", "No routine review"


CADENCE_MONTHS = {Cadence.QUARTERLY: 3, Cadence.HALF_YEARLY: 6, Cadence.ANNUAL: 12}


class CadenceThresholds(models.Model):
    """How many active placements call for which review cadence. One row, edited by administrators."""

    quarterly_from = models.PositiveSmallIntegerField("quarterly from (active placements)", default=4)
    half_yearly_from = models.PositiveSmallIntegerField("half-yearly from (active placements)", default=2)
    annual_from = models.PositiveSmallIntegerField("annual from (active placements)", default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "review cadence thresholds"
        verbose_name_plural = "review cadence thresholds"
        constraints = [
            models.CheckConstraint(
                condition=Q(quarterly_from__gt=models.F("half_yearly_from"))
                & Q(half_yearly_from__gt=models.F("annual_from"))
                & Q(annual_from__gte=1),
                name="cadence_thresholds_in_order",
                violation_error_message=(
                    "Each threshold must be higher than the next: quarterly, half-yearly, annual (at least 1)"
                ),
            )
        ]

    def __str__(self):
        return (
            f"Quarterly from {self.quarterly_from}, half-yearly from {self.half_yearly_from}, "
            f"annual from {self.annual_from} active placements"
        )

    @classmethod
    def current(cls) -> "CadenceThresholds":
        return cls.objects.order_by("pk").first() or cls.objects.create()

    def cadence_for(self, active_placements: int) -> str:
        if active_placements >= self.quarterly_from:
            return Cadence.QUARTERLY
        if active_placements >= self.half_yearly_from:
            return Cadence.HALF_YEARLY
        if active_placements >= self.annual_from:
            return Cadence.ANNUAL
        return Cadence.NONE


def ensure_cadence_thresholds(**_kwargs) -> None:
    """Put the default thresholds in place (DOMAIN.md: 4 or more quarterly, 2 or 3 half-yearly, 1
    annual) unless an administrator's are there. Connected to post_migrate (reviews/apps.py), so a new
    database, or one flushed between transactional tests, has them before the first page asks."""
    CadenceThresholds.current()


def next_due(cadence: str, last_held, today):
    """One cadence after the last meeting held, or now if none was ever held; None without a cadence.

    A due date is always a working day (issue 12): one cadence after the last meeting that lands on a
    weekend or bank holiday is brought back to the working day before it. "Now" on a weekend or bank
    holiday is the next working day instead, so a meeting is never overdue on the day it is scheduled."""
    if cadence not in CADENCE_MONTHS:
        return None
    if last_held is None:
        return working_day_on_or_after(today)
    return working_day_on_or_before(last_held + relativedelta(months=CADENCE_MONTHS[cadence]))


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


tags.register(
    "meeting_status",
    MeetingStatus,
    colours={MeetingStatus.SCHEDULED: "blue", MeetingStatus.HELD: "green", MeetingStatus.CANCELLED: "grey"},
)
# A meeting brought forward from its cadence date, because of a concern or a judgement.
tags.register("meeting_flag", colours={"brought_forward": "purple"}, labels={"brought_forward": "Brought forward"})


class ReviewMeetingQuerySet(models.QuerySet):
    def open(self):
        """Scheduled and not yet held (a provider has at most one)."""
        return self.filter(status=MeetingStatus.SCHEDULED)

    def held(self):
        """Meetings recorded as held (they have the date and time held)."""
        return self.filter(status=MeetingStatus.HELD)

    def overdue(self, on=None):
        """Open meetings whose due date is before `on` (default today)."""
        return self.open().filter(due_date__lt=on or timezone.localdate())

    def due_this_month(self, on=None):
        """Open meetings due in the calendar month containing `on` (default today), those overdue
        from earlier in the month included."""
        month = Month.containing(on or timezone.localdate())
        return self.open().filter(due_date__range=(month.start, month.end))

    def due_between(self, start, end):
        """Meetings that fell due from `start` to `end` (both included), held or still open: a
        cancelled meeting was not due. Reviews held are counted against these (DOMAIN.md: the
        committee pack)."""
        return self.filter(due_date__range=(start, end)).exclude(status=MeetingStatus.CANCELLED)


class ReviewMeeting(models.Model):
    """A commissioning review meeting with a provider, scheduled by placement volume."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="review_meetings")
    cadence = models.CharField(max_length=20, choices=Cadence)
    placement_volume = models.PositiveSmallIntegerField("active placements when scheduled")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=MeetingStatus, default=MeetingStatus.SCHEDULED)
    brought_forward_because = LimitedTextField(
        blank=True,
        help_text="Why this meeting was brought forward, for example a concern",
        max_length=limits.REASON,
    )
    held_at = models.DateTimeField("date and time held", null=True, blank=True)
    attendees = LimitedTextField(blank=True, help_text="Names and roles, one a line", max_length=limits.SUMMARY)
    provider_concerns = LimitedTextField("the provider's concerns", blank=True, max_length=limits.NARRATIVE)
    provider_successes = LimitedTextField("the provider's successes", blank=True, max_length=limits.NARRATIVE)
    feedback_to_authority = LimitedTextField(
        "the provider's feedback to the authority", blank=True, max_length=limits.NARRATIVE
    )
    notes = LimitedTextField(blank=True, max_length=limits.NARRATIVE)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The booking (reviews.booking): when and where it is held, once arranged. Until then the meeting
    # has only its due date, and no calendar invite is sent.
    starts_at = models.DateTimeField("starts", null=True, blank=True)
    ends_at = models.DateTimeField("ends", null=True, blank=True)
    place = models.CharField("where", max_length=300, blank=True, help_text="The address or room")
    online_link = models.URLField("link to join online", max_length=500, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who arranged it: the organiser named in the calendar invite",
    )
    cancelled_because = LimitedTextField("why it was cancelled", blank=True, max_length=limits.REASON)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The calendar invite's SEQUENCE: raised by every change of date, time, place or who is invited,
    # and by a cancellation, so each invite replaces the entry already in people's calendars.
    invite_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ReviewMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-due_date", "-pk"]
        # The meeting list (open ones by due date, the latest held) and each provider's latest meeting
        # held (review_statuses, the compliance overview), at a consortium's 20,000 meetings (issue 15).
        indexes = [
            models.Index(fields=["due_date", "id"], condition=Q(status="scheduled"), name="reviewmeeting_open_by_due"),
            models.Index(fields=["held_at", "id"], condition=Q(status="held"), name="reviewmeeting_held"),
            models.Index(
                fields=["provider", "held_at", "id"], condition=Q(status="held"), name="reviewmeeting_provider_held"
            ),
        ]
        constraints = [
            # Never two open meetings for one provider, however the scheduler is run.
            models.UniqueConstraint(
                fields=["provider"],
                condition=Q(status="scheduled"),
                name="one_open_review_meeting_per_provider",
                violation_error_message="This provider already has a review meeting scheduled",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | Q(held_at__isnull=False),
                name="held_meeting_has_a_date",
                violation_error_message="Enter the date and time the meeting was held",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="booked_meeting_ends_after_it_starts",
                violation_error_message="The meeting must end after it starts",
            ),
        ]

    def __str__(self):
        return f"Review meeting with {self.provider}, due {self.due_date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("reviews:meeting_detail", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED and self.due_date < timezone.localdate()

    @property
    def held_on(self):
        return timezone.localtime(self.held_at).date() if self.held_at else None

    @property
    def is_booked(self) -> bool:
        """Whether a date, time and place have been arranged (reviews.booking)."""
        return self.starts_at is not None

    @property
    def day(self):
        """The day it is booked for, or its due date until it is booked."""
        return timezone.localtime(self.starts_at).date() if self.starts_at else self.due_date


class MeetingInvitee(models.Model):
    """Someone invited to a booked review meeting: a council user (the commissioning officer, the QA
    lead) or one of the provider's contacts. Each is sent the calendar invite, and its updates."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    role = models.CharField("role", max_length=200, blank=True, help_text="As shown beside the name")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey("providers.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    chair = models.BooleanField(default=False, help_text="Chairs the meeting (ROLE=CHAIR in the invite)")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "-chair", "user", "name", "pk"]
        constraints = [
            models.UniqueConstraint("meeting", Lower("email"), name="one_invitee_per_address"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def address(self):
        """Where the invite goes: the user (so it also shows in their notifications) or the email address."""
        return self.user if self.user_id else self.email


class ComplianceArea(models.TextChoices):
    STAFF_RECRUITMENT = "staff_recruitment", "Staff recruitment"
    STAFF_RETENTION = "staff_retention", "Staff retention"
    STAFF_TRAINING = "staff_training", "Staff training"
    PAYMENT = "payment", "Payment"
    SAFEGUARDING_NOTIFICATIONS = "safeguarding_notifications", "Safeguarding notifications"
    LADO_REFERRALS = "lado_referrals", "LADO referrals"
    COMPLAINTS = "complaints", "Complaints"
    COPRODUCTION = "coproduction", "Coproduction and acting on feedback"
    SOCIAL_VALUE = "social_value", "Social value"


# Areas whose figure is a count of events in the period.
COUNTED_AREAS = frozenset(
    {ComplianceArea.SAFEGUARDING_NOTIFICATIONS, ComplianceArea.LADO_REFERRALS, ComplianceArea.COMPLAINTS}
)


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# Amber is GOV.UK's orange tag: its yellow is too pale to read as amber.
tags.register("rag", Rag, colours={Rag.RED: "red", Rag.AMBER: "orange", Rag.GREEN: "green"})


class ComplianceCheck(models.Model):
    """One line of the contractual compliance checklist at a review meeting."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="compliance_checks")
    area = models.CharField(max_length=40, choices=ComplianceArea)
    rag = models.CharField("RAG rating", max_length=10, choices=Rag, blank=True)
    count = models.PositiveIntegerField(null=True, blank=True)
    notes = LimitedTextField(blank=True, max_length=limits.SUMMARY)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "area"], name="one_check_per_area")]

    def __str__(self):
        return f"{self.get_area_display()}: {self.get_rag_display() or 'not rated'}"


class YoungPersonOutcome(models.Model):
    """Notes at a review meeting on one young person placed there; may go on their case record."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="outcomes")
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="review_outcomes")
    notes = LimitedTextField(max_length=limits.SUMMARY)
    for_case_record = models.BooleanField("put on the case record", default=False)
    recorded_on_case_record_at = models.DateTimeField(null=True, blank=True)
    recorded_on_case_record_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "young_person__initials"]
        constraints = [models.UniqueConstraint(fields=["meeting", "young_person"], name="one_outcome_per_person")]

    def __str__(self):
        return f"Outcome for young person {self.young_person_id} at meeting {self.meeting_id}"
