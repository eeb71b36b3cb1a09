"""The Recommendation and Impact Tracker: recommendations, where they came from, who holds the action,
and the progress recorded on them.

Recommendations point at where they came from (a visit, a concern, a review meeting); visits show
theirs through the reverse relation, so `visits` never imports this app."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models import Concern, Provider, YoungPerson
from qa_portal import tags
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from qa_portal.periods import Month
from qa_portal.removal import RemovableInError, kept_manager
from reviews.models.meetings import ReviewMeeting
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


tags.register(
    "recommendation_status",
    RecommendationStatus,
    colours={
        RecommendationStatus.OPEN: "blue",
        RecommendationStatus.IN_PROGRESS: "yellow",
        RecommendationStatus.COMPLETED: "green",
        RecommendationStatus.NOT_ACCEPTED: "grey",
    },
)
# The provider's answer to a recommendation from a visit report.
tags.register(
    "provider_response",
    colours={"accepted": "green", "not_accepted": "red"},
    labels={"accepted": "Accepted", "not_accepted": "Not accepted"},
)


# Open or in progress: still to be done. The tracker lists these unless asked otherwise.
LIVE_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)

# The conditions behind RecommendationQuerySet.live(), overdue() and due_this_month(), for counting
# several of them in one query: `Count("pk", filter=IS_LIVE)`.
IS_LIVE = Q(status__in=LIVE_STATUSES)


def overdue_on(day) -> Q:
    """Live and due before `day`."""
    return IS_LIVE & Q(due_date__lt=day)


def due_in_month_of(day) -> Q:
    """Live and due in the calendar month containing `day` (overdue ones from earlier that month included)."""
    month = Month.containing(day)
    return IS_LIVE & Q(due_date__range=(month.start, month.end))


class RecommendationQuerySet(models.QuerySet):
    def live(self):
        """Open or in progress."""
        return self.filter(IS_LIVE)

    def overdue(self, on=None):
        """Live and due before `on` (default today)."""
        return self.filter(overdue_on(on or timezone.localdate()))

    def due_this_month(self, on=None):
        """Live and due in the calendar month containing `on` (default today)."""
        return self.filter(due_in_month_of(on or timezone.localdate()))

    def flagged_to(self, user):
        """What a member of staff is asked to act on: theirs, or a child's they are social worker for.

        The two are asked separately and joined (UNION ALL), each on its own index (the owner; the
        young people's social worker, then their recommendations): as one OR across the young person
        no index serves it, and PostgreSQL read every live recommendation (10 ms at a consortium's
        50,000, issue 15). This queryset's own filters (live, due by a day...) are applied in each
        branch as well as to the result, so call it after them: a QA lead owns some 1,800
        recommendations, most of them long completed, and each was read to be filtered out after the
        union (15 to 30 ms; 1.5 ms with the filters inside). The result is the same: a row passes
        the filters outside exactly when it passes them inside."""
        every = self.order_by()
        theirs = every.filter(owner=user).values("pk")
        their_children = every.filter(action_holder=ActionHolder.SOCIAL_WORKER, young_person__social_worker=user)
        their_children = their_children.values("pk")
        return self.filter(pk__in=theirs.union(their_children, all=True))


def provider_update_text(*, provider_name: str, accepted: bool | None, reason: str, action: str, action_by) -> str:
    """A provider's answer to a recommendation in a sentence: "<provider>: <action>, by <date>", or
    "<provider> did not accept it: <reason>" (`provider_name` blank: "The provider")."""
    name = provider_name or "The provider"
    if accepted is False:
        return f"{name} did not accept it: {reason}".strip()
    by = f", by {action_by:%-d %B %Y}" if action_by else ""
    return f"{name}: {action}{by}" if action else f"{name} accepted it"


def latest_progress_of(
    *, note: str | None, note_at, answered, provider_update: Callable[[], str]
) -> tuple[str, object]:
    """(text, time) of a recommendation's latest progress: its latest progress note (`note`, made at
    `note_at`), or the provider's own answer (`provider_update()`, given at `answered`) if that came
    later. A note the provider sent with their answer (the same moment) is added to it."""
    if answered is None or (note_at is not None and note_at > answered):
        return note or "", note_at
    if note_at == answered and note:
        return f"{provider_update()}. {note}", answered
    return provider_update(), answered


class Recommendation(RemovableInError):
    """A recommendation on the tracker. One recorded in error (twice, say) is removed softly: `objects`
    no longer has it, `all_objects` does (qa_portal.removal)."""

    source = models.CharField(max_length=20, choices=Source)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations")
    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    review_meeting = models.ForeignKey(
        ReviewMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    # What a young person asked for on the visit that this recommendation answers ("You said, we did",
    # issue 17); its impact statement, once completed, is the "we did".
    you_said = models.ForeignKey(
        "reviews.YouSaid",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
        verbose_name="what a young person asked for",
    )
    level = models.CharField(max_length=20, choices=Level)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    text = LimitedTextField(
        "recommendation",
        help_text="Specific, measurable, achievable, relevant and time-bound",
        max_length=limits.SUMMARY,
    )
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recommendations_owned")
    action_holder = models.CharField(max_length=20, choices=ActionHolder, default=ActionHolder.PROVIDER)
    due_date = models.DateField()
    priority = models.CharField(max_length=10, choices=Priority, default=Priority.MEDIUM)
    status = models.CharField(max_length=20, choices=RecommendationStatus, default=RecommendationStatus.OPEN)
    not_accepted_reason = LimitedTextField(blank=True, max_length=limits.REASON)
    impact_statement = LimitedTextField(
        blank=True,
        help_text="What difference did this make for the child or young person?",
        max_length=limits.SUMMARY,
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    # The provider's response, for recommendations on their service or their children.
    provider_accepted = models.BooleanField(null=True, blank=True)
    provider_reason = LimitedTextField("provider's reason for not accepting", blank=True, max_length=limits.REASON)
    provider_action = LimitedTextField("action the provider will take", blank=True, max_length=limits.SUMMARY)
    provider_action_by = models.DateField("provider's action due by", null=True, blank=True)
    # When the provider last answered: their response to the visit report, or their latest update of
    # the action (reviews.services). The tracker's "latest progress" weighs it against the notes.
    provider_responded_at = models.DateTimeField(null=True, blank=True)
    # Shared with the provider by the council (reviews.services.recommendation_share_with_provider). One
    # raised in a visit report reaches the provider with the report instead; see reviews.access.
    shared_with_provider = models.BooleanField(default=False)
    shared_with_provider_at = models.DateTimeField(null=True, blank=True)
    shared_with_provider_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = kept_manager(RecommendationQuerySet)
    all_objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        permissions = [("share_recommendation", "Can share a recommendation with its provider")]
        # The tracker's orders and filters, at a consortium's 50,000 recommendations (issue 15): the live
        # ones by due date (the default list, overdue, due this month), any status by due date, and the
        # tracker's figures read from the index alone.
        indexes = [
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status__in=LIVE_STATUSES, removed_at__isnull=True),
                name="recommendation_live_by_due",
            ),
            models.Index(fields=["due_date", "id"], condition=Q(removed_at__isnull=True), name="recommendation_by_due"),
            # Each provider's live and overdue ones (the compliance overview, the provider page).
            models.Index(
                fields=["provider", "due_date"],
                condition=Q(status__in=LIVE_STATUSES, removed_at__isnull=True),
                name="recommendation_live_provider",
            ),
            models.Index(
                fields=["status", "completed_at"],
                include=["due_date", "id"],
                condition=Q(removed_at__isnull=True),
                name="recommendation_figures",
            ),
        ]
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
            models.CheckConstraint(
                condition=~Q(source="review_meeting") | Q(review_meeting__isnull=False),
                name="meeting_recommendation_has_meeting",
            ),
            # What came from a concern, or is about the authority's own service, is the council's own.
            models.CheckConstraint(
                condition=Q(shared_with_provider=False)
                | (Q(provider__isnull=False) & ~Q(source="concern") & ~Q(level="authority_service")),
                name="shared_with_provider_only_if_for_them",
                violation_error_message="This recommendation cannot be shared with a provider",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_live and self.due_date < timezone.localdate()

    @property
    def provider_update(self) -> str:
        """The provider's own answer in a sentence, as the tracker's "latest progress" shows it
        (provider_update_text); "" if they have not answered."""
        if not self.provider_responded_at:
            return ""
        return provider_update_text(
            provider_name=self.provider.name if self.provider_id else "",
            accepted=self.provider_accepted,
            reason=self.provider_reason,
            action=self.provider_action,
            action_by=self.provider_action_by,
        )

    def _latest(self) -> tuple[str, object]:
        """(text, time) of the latest progress (latest_progress_of). Reads the annotations of
        reviews.views.tracker.with_latest_progress where present."""
        if not hasattr(self, "last_note_at"):
            note = self.progress_updates.order_by("-at", "-pk").values_list("text", "at").first()
            self.last_note, self.last_note_at = note or (None, None)
        return latest_progress_of(
            note=self.last_note,
            note_at=self.last_note_at,
            answered=self.provider_responded_at,
            provider_update=lambda: self.provider_update,
        )

    @property
    def latest_progress(self) -> str:
        """The text of the latest progress, council's or provider's (`_latest`); "" if none."""
        return self._latest()[0]

    @property
    def latest_progress_at(self):
        """When the latest progress was recorded (`_latest`); None if never."""
        return self._latest()[1]

    def why_not_shared_with_provider(self) -> str:
        """Why the council may not share this recommendation with its provider, in a sentence for the
        person who asked; "" if it may. Never one from a concern (its text may repeat what a
        whistleblower said) or about the authority's own service (issue 13); one in a visit report
        reaches the provider with the report, and only then."""
        if self.source == Source.CONCERN:
            return "A recommendation raised from a concern is never shared with the provider."
        if self.level == Level.AUTHORITY_SERVICE:
            return "A recommendation about the authority's own service is never shared with the provider."
        if not self.provider_id:
            return "This recommendation is not about a provider."
        if self.source == Source.VISIT:
            return "A recommendation in a visit report reaches the provider when the report is shared with them."
        return ""

    def clean(self):
        super().clean()
        errors = {}
        if self.level == Level.CHILD and not self.young_person_id:
            errors["young_person"] = "Choose the young person this recommendation is for"
        if self.level != Level.CHILD:
            self.young_person = None
        if self.you_said_id and self.you_said.visit_id != self.visit_id:
            errors["you_said"] = "Choose something a young person asked for on this visit"
        elif (
            self.you_said_id
            and self.level == Level.CHILD
            and self.young_person_id
            and self.you_said.young_person_id != self.young_person_id
        ):
            # The letter to the young person who asked tells them what was done: never another child's.
            errors["you_said"] = (
                "A recommendation for one young person can only answer what that young person asked for"
            )
        if self.status == RecommendationStatus.COMPLETED and not (self.impact_statement or "").strip():
            errors["impact_statement"] = "Say what difference this made for the child before completing it"
        if self.status == RecommendationStatus.NOT_ACCEPTED and not (self.not_accepted_reason or "").strip():
            errors["not_accepted_reason"] = "Give the reason it was not accepted"
        if errors:
            raise ValidationError(errors)


class ProgressUpdate(RemovableInError):
    """A note of progress on a recommendation, as at the monthly tracking meeting. One recorded in error
    is removed softly, and the removal is written into its recommendation's history (reviews.services)."""

    recorded_by_field = "by"

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="progress_updates")
    text = LimitedTextField("progress", max_length=limits.SUMMARY)
    status_after = models.CharField(max_length=20, choices=RecommendationStatus)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    objects = kept_manager()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-at", "-pk"]
        # Each list row's latest progress note (reviews.views.tracker.with_latest_progress).
        indexes = [
            models.Index(
                F("recommendation"),
                F("at").desc(),
                F("id").desc(),
                condition=Q(removed_at__isnull=True),
                name="progressupdate_latest",
            )
        ]

    def __str__(self):
        return f"Progress on {self.recommendation_id} at {self.at:%d/%m/%Y}"

    def may_be_removed_by(self, user) -> bool:
        """A note of progress only: the note that completed the recommendation, or recorded that it was
        not accepted, is the record of that step and stays."""
        return self.status_after in LIVE_STATUSES and super().may_be_removed_by(user)
