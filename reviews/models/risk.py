"""The rules of the providers' risk rating, as an administrator has set them (issue 16).

One row per rule the portal knows (`RiskRuleKind`; the rules themselves are in reviews.risk): the
rating it raises a provider to (High, Medium, or not used) and, for a rule that counts or looks
back, its number. Administrators change them in the admin, never add or delete one; each change is
kept with who made it and when (the admin's own history, and `history` with the values before).
"""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from providers.models import RiskRating


class RiskRuleKind(models.TextChoices):
    """The rules, in the order they are listed. Their numbers' meanings are in RULE_NUMBERS."""

    INADEQUATE = "inadequate", "Current Ofsted judgement Inadequate, or supported accommodation outcome 3"
    PLACEMENT_STOP = "placement_stop", "Under a placement stop"
    CONCERN_HIGH = "concern_high", "A concern of high severity not yet closed"
    LADO_REFERRAL = "lado_referral", "A concern referred to the LADO not yet closed"
    VISIT_NO = "visit_no", 'A QA visit whose overall judgement was "no" (not good enough for my own child)'
    REQUIRES_IMPROVEMENT = "requires_improvement", "Current Ofsted judgement Requires improvement to be good"
    CONCERN_MEDIUM = "concern_medium", "A concern of medium severity not yet closed"
    RECOMMENDATIONS_OVERDUE = "recommendations_overdue", "Recommendations overdue"
    REVIEW_OVERDUE = "review_overdue", "A review meeting overdue"
    UNPLANNED_ENDING = "unplanned_ending", "A placement that ended unplanned"


# The rules that have a number: what it is, its default, and its unit in a sentence.
RULE_NUMBERS = {
    RiskRuleKind.VISIT_NO: ("in the last … months", 12, "months"),
    RiskRuleKind.RECOMMENDATIONS_OVERDUE: ("at least … overdue", 1, "overdue"),
    RiskRuleKind.REVIEW_OVERDUE: ("overdue by more than … days", 0, "days"),
    RiskRuleKind.UNPLANNED_ENDING: ("ended in the last … months", 3, "months"),
}

# The default rules (issue 16): High for the first five, Medium for the rest.
DEFAULT_RATINGS = {
    RiskRuleKind.INADEQUATE: RiskRating.HIGH,
    RiskRuleKind.PLACEMENT_STOP: RiskRating.HIGH,
    RiskRuleKind.CONCERN_HIGH: RiskRating.HIGH,
    RiskRuleKind.LADO_REFERRAL: RiskRating.HIGH,
    RiskRuleKind.VISIT_NO: RiskRating.HIGH,
    RiskRuleKind.REQUIRES_IMPROVEMENT: RiskRating.MEDIUM,
    RiskRuleKind.CONCERN_MEDIUM: RiskRating.MEDIUM,
    RiskRuleKind.RECOMMENDATIONS_OVERDUE: RiskRating.MEDIUM,
    RiskRuleKind.REVIEW_OVERDUE: RiskRating.MEDIUM,
    RiskRuleKind.UNPLANNED_ENDING: RiskRating.MEDIUM,
}


class RuleRating(models.IntegerChoices):
    NOT_USED = 0, "Not used"
    MEDIUM = RiskRating.MEDIUM, "Medium"
    HIGH = RiskRating.HIGH, "High"


class RiskRule(models.Model):
    """One rule of the risk rating: the rating it gives a provider it holds for, and its number."""

    rule = models.CharField(max_length=40, choices=RiskRuleKind, unique=True, editable=False)
    rating = models.PositiveSmallIntegerField(
        "makes the provider", choices=RuleRating, help_text="High, Medium, or not used at all"
    )
    number = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For the rules that count or look back: see the rule's wording"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.described

    @property
    def described(self) -> str:
        """The rule in words with its number: "A QA visit whose overall judgement was "no" … in the
        last 12 months"."""
        if self.rule in RULE_NUMBERS and self.number is not None:
            wording = RULE_NUMBERS[self.rule][0].replace("…", str(self.number))
            return f"{self.get_rule_display()}, {wording}"
        return self.get_rule_display()

    def clean(self):
        super().clean()
        if self.rule in RULE_NUMBERS:
            if self.number is None:
                raise ValidationError({"number": f"Give the number for this rule ({RULE_NUMBERS[self.rule][0]})"})
            if self.number < 1 and RULE_NUMBERS[self.rule][2] != "days":
                raise ValidationError({"number": "The number must be 1 or more"})
        else:
            self.number = None

    @classmethod
    def current(cls) -> dict[str, "RiskRule"]:
        """{rule: RiskRule} for every rule, the defaults made for any missing."""
        found = {rule.rule: rule for rule in cls.objects.all()}
        for kind in RiskRuleKind:
            if kind not in found:
                default = RULE_NUMBERS.get(kind, (None, None))[1]
                found[kind], _ = cls.objects.get_or_create(
                    rule=kind, defaults={"rating": DEFAULT_RATINGS[kind], "number": default}
                )
        return found


def ensure_risk_rules(**_kwargs) -> None:
    """Put the default rules in place where an administrator's are not (post_migrate, reviews/apps.py)."""
    RiskRule.current()
