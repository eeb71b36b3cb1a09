"""The response to an Inadequate judgement (issue 16; Coventry's practice, DOMAIN.md: after an
Inadequate judgement a visit happens the same working day and, for each child placed, a decision on
whether they are safe to remain is made within 24 hours).

Recording an Inadequate judgement (or supported accommodation outcome 3) opens one `InadequateResponse`
on the provider, once per inspection: a visit to plan for the same working day, a `SafeToRemainDecision`
for each young person placed at the setting (with the provider, for a provider-level judgement), due 24
hours after the judgement was recorded and asked of their allocated social worker, and a request for
the provider's improvement plan (an `ActionPlan`). It closes when every decision is recorded and the
plan is accepted. The workflow is reviews.responses."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models import OfstedInspection, Placement, Provider, Setting, YoungPerson
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from reviews.models.action_plans import ActionPlan
from visits.models import Visit

# Coventry's timescale: a decision on each child within 24 hours of the judgement being recorded.
DECISION_HOURS = 24


class InadequateResponseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class InadequateResponse(models.Model):
    """The council's response to one Inadequate judgement (or outcome 3) of a provider."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="inadequate_responses")
    # One response per judgement: a re-import of the same file finds it and opens nothing.
    inspection = models.OneToOneField(OfstedInspection, on_delete=models.PROTECT, related_name="inadequate_response")
    # The setting judged, or None for a provider-level judgement (supported accommodation).
    setting = models.ForeignKey(Setting, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField("judgement recorded", default=timezone.now)
    # None when the judgement came in by the command-line import.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visit_due_on = models.DateField("visit to be held on")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    visit_planned_at = models.DateTimeField(null=True, blank=True)
    action_plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = InadequateResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"Response to the Inadequate judgement of {self.where}"

    def get_absolute_url(self):
        return reverse("reviews:inadequate_response", args=[self.pk])

    @property
    def where(self) -> str:
        """The setting judged ("Oak House, Harbour Lights Fostering"; a setting named after its provider,
        such as an agency's office, alone), or the provider."""
        if not self.setting_id:
            return self.provider.name
        if self.setting.name.startswith(self.provider.name):
            return self.setting.name
        return f"{self.setting.name}, {self.provider.name}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class SafeToRemain(models.TextChoices):
    REMAIN = "remain", "Remain, with safeguards"
    MOVE = "move", "Move"
    OTHER = "other", "Other"


class SafeToRemainDecisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(decision="")

    def overdue(self, now=None):
        return self.pending().filter(due_at__lt=now or timezone.now())


class SafeToRemainDecision(models.Model):
    """Whether one young person placed where the judgement fell is safe to remain there: asked of their
    allocated social worker, due `DECISION_HOURS` after the judgement was recorded. `updated_at` moves
    on each save, so a page posts the time it was loaded and a colleague's change meanwhile is shown,
    not overwritten."""

    response = models.ForeignKey(InadequateResponse, on_delete=models.CASCADE, related_name="decisions")
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="safe_to_remain_decisions")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="+")
    # Their allocated social worker when the response opened (None if they had none: the QA lead decides).
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField("due by")
    decision = models.CharField("safe to remain?", max_length=10, choices=SafeToRemain, blank=True)
    safeguards = LimitedTextField("safeguards", blank=True, max_length=limits.REASON)
    move_by = models.DateField("move by", null=True, blank=True)
    other = LimitedTextField("what was decided", blank=True, max_length=limits.REASON)
    # Who first recorded the decision, and when (the time to decision counts to this)...
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # ...and who changed it last, and when, if anyone has: neither name is put on the other's act.
    changed_at = models.DateTimeField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Each reminder and the escalation go once (claimed by setting these where unset).
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Each decision as it was saved, so a change does not lose what was first decided, nor put it in the
    # name of whoever changed it (responses.decision_versions). The reminders' and the page's own
    # bookkeeping are conditional updates, which add no row.
    history = HistoricalRecords()

    objects = SafeToRemainDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "young_person__initials", "pk"]
        permissions = [("record_safetoremaindecision", "Can record whether a young person is safe to remain")]
        constraints = [
            models.UniqueConstraint(fields=["response", "young_person"], name="safe_to_remain_once_a_response"),
            models.CheckConstraint(
                condition=Q(decision="") | Q(recorded_at__isnull=False), name="safe_to_remain_recorded_when"
            ),
            models.CheckConstraint(
                condition=~Q(decision="move") | Q(move_by__isnull=False), name="safe_to_remain_move_has_date"
            ),
        ]

    def __str__(self):
        return f"Safe to remain? {self.young_person.initials}"

    def get_absolute_url(self):
        return reverse("reviews:safe_to_remain", args=[self.response_id, self.pk])

    @property
    def is_recorded(self) -> bool:
        return bool(self.decision)

    @property
    def is_overdue(self) -> bool:
        return not self.is_recorded and self.due_at < timezone.now()

    @property
    def last_saved_by(self):
        """Who saved the decision as it stands: whoever changed it last, else whoever recorded it (None
        while nobody has)."""
        return self.changed_by if self.changed_by_id else self.recorded_by

    @property
    def hours_taken(self) -> float | None:
        """Hours from the judgement being recorded to the decision, or None while it is not recorded."""
        if not self.recorded_at:
            return None
        return (self.recorded_at - self.response.opened_at) / timedelta(hours=1)

    @property
    def in_words(self) -> str:
        """The decision as it reads on the response's page: "Remain, with safeguards: …", "Move by 3 June
        2026", "Other: …"; "" while not recorded."""
        if self.decision == SafeToRemain.REMAIN:
            return f"Remain, with safeguards: {self.safeguards}"
        if self.decision == SafeToRemain.MOVE:
            return f"Move by {self.move_by:%-d %B %Y}"
        if self.decision == SafeToRemain.OTHER:
            return f"Other: {self.other}"
        return ""

    def clean(self):
        super().clean()
        errors = {}
        if self.decision == SafeToRemain.REMAIN and not self.safeguards.strip():
            errors["safeguards"] = "Say what safeguards keep them safe where they are"
        if self.decision == SafeToRemain.MOVE and self.move_by is None:
            errors["move_by"] = "Enter the date they will move by"
        if self.decision == SafeToRemain.OTHER and not self.other.strip():
            errors["other"] = "Say what was decided"
        if errors:
            raise ValidationError(errors)
        # Only the chosen answer's detail is kept.
        if self.decision != SafeToRemain.REMAIN:
            self.safeguards = ""
        if self.decision != SafeToRemain.MOVE:
            self.move_by = None
        if self.decision != SafeToRemain.OTHER:
            self.other = ""
