"""Each provider's risk rating (High, Medium, Low), why it is so, and who changed it when.

The rating the rules give is worked out in reviews.risk (the rules read visits, review meetings
and recommendations, which this app knows nothing of) and stored on the provider with its reasons,
so lists filter and sort by a column. A commissioning officer or the QA lead may override it until
a date to look again (`RiskOverride`); the provider's `risk_rating` is then the override's. Every
change of the rating shown is a `RiskRatingChange`: from, to, why, who (no one: the rules) and when.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from qa_portal import tags
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField


class RiskRating(models.IntegerChoices):
    """Stored as a number so that lists sort worst first by the column."""

    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


tags.register(
    "risk_rating",
    RiskRating,
    colours={RiskRating.LOW: "green", RiskRating.MEDIUM: "yellow", RiskRating.HIGH: "red"},
    labels={
        RiskRating.LOW: "Low risk",
        RiskRating.MEDIUM: "Medium risk",
        RiskRating.HIGH: "High risk",
    },
)


class RiskOverrideQuerySet(models.QuerySet):
    def in_force(self, on):
        """Overrides not ended and not past their look-again date on `on` (they apply up to and
        including that date)."""
        return self.filter(ended_at__isnull=True, look_again_on__gte=on)

    def lapsed(self, on):
        """Overrides not yet ended whose look-again date is before `on`: the daily job ends them."""
        return self.filter(ended_at__isnull=True, look_again_on__lt=on)


class RiskOverride(models.Model):
    """A rating set by hand, with the reason, until a date to look again. Ended when replaced, removed,
    or (by the daily job) when its look-again date has passed: then the rules' rating shows again."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="risk_overrides")
    rating = models.PositiveSmallIntegerField(choices=RiskRating)
    reason = LimitedTextField(max_length=limits.REASON)
    look_again_on = models.DateField("date to look again")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(max_length=200, blank=True)

    objects = RiskOverrideQuerySet.as_manager()

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider"], condition=models.Q(ended_at__isnull=True), name="one_risk_override_in_force"
            )
        ]

    def __str__(self):
        return f"{self.provider}: {self.get_rating_display()} until {self.look_again_on:%d/%m/%Y}"


class RiskRatingChange(models.Model):
    """One change of a provider's risk rating as shown: from (None for its first rating), to, the
    reasons the rules gave then, why it changed, who changed it (None: the rules) and when."""

    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="risk_rating_changes")
    from_rating = models.PositiveSmallIntegerField(choices=RiskRating, null=True, blank=True)
    to_rating = models.PositiveSmallIntegerField(choices=RiskRating)
    why = models.CharField(max_length=limits.REASON + 200)
    reasons = models.JSONField(default=list, blank=True)
    override = models.ForeignKey(RiskOverride, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.provider}: {self.get_from_rating_display()} to {self.get_to_rating_display()}"

    @property
    def is_to_high(self) -> bool:
        return self.to_rating == RiskRating.HIGH and self.from_rating not in (None, RiskRating.HIGH)
