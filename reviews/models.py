"""Commissioning reviews and the Recommendation and Impact Tracker.

Recommendations point at where they came from (a visit, a concern, later a review
meeting); visits show theirs through the reverse relation, so `visits` never imports
this app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models import Concern, Provider, YoungPerson
from visits.models import Visit


class Source(models.TextChoices):
    VISIT = "visit", "QA visit"
    REVIEW_MEETING = "review_meeting", "Review meeting"
    CONCERN = "concern", "Concern"
    OTHER = "other", "Other"


class Level(models.TextChoices):
    CHILD = "child", "Child-level"
    PROVIDER_SERVICE = "provider_service", "Provider's service"
    AUTHORITY_SERVICE = "authority_service", "The authority's own service"


class ActionHolder(models.TextChoices):
    PROVIDER = "provider", "Provider"
    SOCIAL_WORKER = "social_worker", "Social worker"
    COMMISSIONING = "commissioning", "Commissioning"
    QA = "qa", "Quality assurance"


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class RecommendationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=[RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS])

    def overdue(self, on=None):
        return self.live().filter(due_date__lt=on or timezone.localdate())


class Recommendation(models.Model):
    source = models.CharField(max_length=20, choices=Source.choices)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations")
    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    text = models.TextField("recommendation", help_text="Specific, measurable, achievable, relevant and time-bound")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recommendations_owned")
    action_holder = models.CharField(max_length=20, choices=ActionHolder.choices, default=ActionHolder.PROVIDER)
    due_date = models.DateField()
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    status = models.CharField(max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN)
    not_accepted_reason = models.TextField(blank=True)
    impact_statement = models.TextField(
        blank=True, help_text="What difference did this make for the child or young person?"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # The provider's response, for recommendations on their service or their children.
    provider_accepted = models.BooleanField(null=True, blank=True)
    provider_reason = models.TextField("provider's reason for not accepting", blank=True)
    provider_action = models.TextField("action the provider will take", blank=True)
    provider_action_by = models.DateField("provider's action due by", null=True, blank=True)
    provider_responded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="child") | Q(young_person__isnull=False),
                name="child_level_names_a_young_person",
                violation_error_message="Choose the young person this recommendation is for",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | ~Q(impact_statement=""),
                name="completed_has_impact_statement",
                violation_error_message="Say what difference this made for the child before completing it",
            ),
            models.CheckConstraint(
                condition=~Q(source="visit") | Q(visit__isnull=False),
                name="visit_recommendation_has_visit",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_overdue(self) -> bool:
        live = self.status in (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
        return live and self.due_date < timezone.localdate()

    def clean(self):
        super().clean()
        errors = {}
        if self.level == Level.CHILD and not self.young_person_id:
            errors["young_person"] = "Choose the young person this recommendation is for"
        if self.level != Level.CHILD:
            self.young_person = None
        if self.status == RecommendationStatus.COMPLETED and not (self.impact_statement or "").strip():
            errors["impact_statement"] = "Say what difference this made for the child before completing it"
        if self.status == RecommendationStatus.NOT_ACCEPTED and not (self.not_accepted_reason or "").strip():
            errors["not_accepted_reason"] = "Give the reason it was not accepted"
        if errors:
            raise ValidationError(errors)
