"""Provider action plans (issue 16): what a provider will do, by whom and by when, after an Inadequate
Ofsted judgement, a QA visit, a review meeting or a concern.

The council asks for one with a due date (14 days by default, as councils' adult-care tool PAMMS
asks); the provider's users write its actions in the portal and submit it; the council accepts it
(setting the day it is re-checked, six months on by default) or returns it with comments, and the
provider revises it and submits it again. Each step is an `ActionPlanEvent`, with who and when.

A plan points at its source record, and each action may point at the recommendation it answers, so
the tracker shows the plan's progress through the reverse relation; `providers` and `visits` never
import this module."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from providers.models import Concern, OfstedInspection, Provider
from qa_portal import tags
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from reviews.models.meetings import ReviewMeeting
from reviews.models.recommendations import Recommendation
from visits.models import Visit

# Defaults from the PAMMS practice DOMAIN.md describes: the plan within 14 days, re-checked about six
# months after it is accepted.
DUE_DAYS = 14
RECHECK_MONTHS = 6


def default_due(today: date | None = None) -> date:
    """The day a plan requested on `today` (default today) is due: DUE_DAYS (14) days later."""
    return (today or timezone.localdate()) + timedelta(days=DUE_DAYS)


def default_recheck(today: date | None = None) -> date:
    """The day a plan accepted on `today` (default today) is re-checked: RECHECK_MONTHS (6) months later."""
    return (today or timezone.localdate()) + relativedelta(months=RECHECK_MONTHS)


class ActionPlanSource(models.TextChoices):
    INADEQUATE = "inadequate", "Inadequate Ofsted judgement"
    VISIT = "visit", "QA visit"
    REVIEW_MEETING = "review_meeting", "Review meeting"
    CONCERN = "concern", "Concern"


# The field holding the source record of each kind.
SOURCE_FIELDS = {
    ActionPlanSource.INADEQUATE: "inspection",
    ActionPlanSource.VISIT: "visit",
    ActionPlanSource.REVIEW_MEETING: "review_meeting",
    ActionPlanSource.CONCERN: "concern",
}


class ActionPlanStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"
    RECHECKED = "rechecked", "Re-checked"


# With the provider to write (or rewrite): the due date applies, and the plan is overdue after it.
WITH_PROVIDER = (ActionPlanStatus.REQUESTED, ActionPlanStatus.RETURNED)
# Not closed: everything but a plan re-checked.
OPEN_STATUSES = (*WITH_PROVIDER, ActionPlanStatus.SUBMITTED, ActionPlanStatus.ACCEPTED)

tags.register(
    "action_plan_status",
    ActionPlanStatus,
    colours={
        ActionPlanStatus.REQUESTED: "blue",
        ActionPlanStatus.SUBMITTED: "purple",
        ActionPlanStatus.RETURNED: "orange",
        ActionPlanStatus.ACCEPTED: "green",
        ActionPlanStatus.RECHECKED: "grey",
    },
)


def overdue_on(day: date) -> Q:
    """With the provider and due before `day`: not submitted by its due date."""
    return Q(status__in=WITH_PROVIDER, due_date__lt=day)


def recheck_due_on(day: date) -> Q:
    """Accepted, and its re-check date is `day` or earlier."""
    return Q(status=ActionPlanStatus.ACCEPTED, recheck_date__lte=day)


class ActionPlanQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, on: date | None = None):
        """Not submitted by the due date (requested, or returned and not submitted again)."""
        return self.filter(overdue_on(on or timezone.localdate()))

    def awaiting_review(self):
        """Submitted, for the council to accept or return."""
        return self.filter(status=ActionPlanStatus.SUBMITTED)

    def recheck_due(self, on: date | None = None):
        """Accepted, with the re-check date reached."""
        return self.filter(recheck_due_on(on or timezone.localdate()))


class ActionPlan(models.Model):
    """One provider's action plan, from one source record. `updated_at` moves on each change, so a
    page posts the time it was loaded and a change made meanwhile by someone else is not overwritten
    (reviews.action_plans)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="action_plans")
    source = models.CharField(max_length=20, choices=ActionPlanSource)
    inspection = models.ForeignKey(
        OfstedInspection, on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans"
    )
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans")
    review_meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans"
    )
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="action_plans")
    asks = LimitedTextField(
        "what the plan must address",
        max_length=limits.SUMMARY,
        help_text="The provider reads this. Do not repeat what a concern says about a child or who raised it.",
    )
    status = models.CharField(max_length=20, choices=ActionPlanStatus, default=ActionPlanStatus.REQUESTED)
    due_date = models.DateField("due by")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    recheck_date = models.DateField("re-check on", null=True, blank=True)
    rechecked_at = models.DateTimeField(null=True, blank=True)
    # The overdue plan is chased once per due date (reviews.action_plans.chase_overdue_action_plans).
    chased_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        permissions = [("review_actionplan", "Can accept, return and re-check a provider's action plan")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="inadequate") | Q(inspection__isnull=False),
                name="action_plan_inadequate_has_inspection",
            ),
            models.CheckConstraint(
                condition=~Q(source="visit") | Q(visit__isnull=False), name="action_plan_visit_has_visit"
            ),
            models.CheckConstraint(
                condition=~Q(source="review_meeting") | Q(review_meeting__isnull=False),
                name="action_plan_meeting_has_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(source="concern") | Q(concern__isnull=False), name="action_plan_concern_has_concern"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(recheck_date__isnull=False),
                name="action_plan_accepted_has_recheck_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="actionplan_status_due")]

    def __str__(self):
        return f"Action plan {self.pk}: {self.provider}"

    def get_absolute_url(self):
        return reverse("reviews:action_plan_detail", args=[self.pk])

    @property
    def source_record(self):
        """The inspection, visit, review meeting or concern the plan comes from."""
        return getattr(self, SOURCE_FIELDS[ActionPlanSource(self.source)])

    @property
    def source_in_words(self) -> str:
        """Where the plan comes from, as the provider may read it: "Inadequate Ofsted judgement of
        Harbour House on 3 March 2026", "QA visit on …", "Review meeting on …", "A concern received on
        …" (never what the concern says)."""
        record = self.source_record
        if self.source == ActionPlanSource.INADEQUATE:
            where = f" of {record.setting.name}" if record.setting_id else ""
            return f"Inadequate Ofsted judgement{where} on {record.inspection_date:%-d %B %Y}"
        if self.source == ActionPlanSource.VISIT:
            return f"QA visit on {record.date:%-d %B %Y}"
        if self.source == ActionPlanSource.REVIEW_MEETING:
            return f"Review meeting on {record.day:%-d %B %Y}"
        return f"A concern received on {record.received_on:%-d %B %Y}"

    @property
    def with_provider(self) -> bool:
        return self.status in WITH_PROVIDER

    @property
    def is_overdue(self) -> bool:
        return self.with_provider and self.due_date < timezone.localdate()

    @property
    def is_recheck_due(self) -> bool:
        return self.status == ActionPlanStatus.ACCEPTED and self.recheck_date <= timezone.localdate()

    def clean(self):
        super().clean()
        field = SOURCE_FIELDS.get(self.source)
        if field is None:
            return
        record = getattr(self, field)
        if record is None:
            raise ValidationError({field: "Choose what the action plan comes from"})
        if record.provider_id != self.provider_id:
            raise ValidationError({field: "Choose one about this provider"})
        # One source record only: the others are cleared.
        for other in SOURCE_FIELDS.values():
            if other != field:
                setattr(self, other, None)


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


tags.register(
    "plan_action_status",
    ActionStatus,
    colours={ActionStatus.NOT_STARTED: "grey", ActionStatus.IN_PROGRESS: "yellow", ActionStatus.DONE: "green"},
)


class PlanAction(models.Model):
    """One action of a plan: what the provider will do, the person responsible and the timescale (the
    date it will be done by), optionally answering one of the provider's recommendations."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    text = LimitedTextField("action", max_length=limits.SUMMARY)
    responsible = LimitedTextField("person responsible", max_length=limits.NAME)
    timescale = models.DateField("to be done by")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    status = models.CharField("progress", max_length=20, choices=ActionStatus, default=ActionStatus.NOT_STARTED)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["timescale", "pk"]

    def __str__(self):
        return self.text[:80]

    def clean(self):
        super().clean()
        if self.recommendation_id and self.recommendation.provider_id != self.plan.provider_id:
            raise ValidationError({"recommendation": "Choose one of your organisation's recommendations"})


class ActionPlanEvent(models.Model):
    """A step on a plan's path, with who took it and when, and the comment given with it (the
    council's reasons for returning it, its note on accepting or re-checking it)."""

    class Step(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned with comments"
        REVISED = "revised", "Revised"
        ACCEPTED = "accepted", "Accepted"
        UPDATED = "updated", "Progress updated"
        CHASED = "chased", "Chased: overdue"
        RECHECKED = "rechecked", "Re-checked"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="events")
    step = models.CharField(max_length=20, choices=Step)
    # None for a step the portal took itself (chasing an overdue plan).
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comment = LimitedTextField(blank=True, max_length=limits.REASON)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_step_display()} at {self.at:%d/%m/%Y %H:%M}"
