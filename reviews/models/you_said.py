""" "You said, we did" (issue 17): what a young person asked for on a visit, in their own words.

A visitor marks it in the visit's section of young people's views while the visit is a draft, naming
the young person met who said it. A recommendation raised from it points back at it
(`Recommendation.you_said`); once that recommendation is completed, its impact statement is the "we
did" (reviews.you_said). The mark lives in this app, not in visits, so that the recommendation can
point at it and visits never imports reviews: the visit's pages reach marks through the reverse
relation `visit.you_said`."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from providers.models import YoungPerson
from qa_portal.inputs import limits
from qa_portal.inputs.limits import LimitedTextField
from visits.models import Visit


class YouSaid(models.Model):
    """One thing a young person met on a visit asked for, as they said it."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="you_said")
    young_person = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="+")
    said = LimitedTextField(
        "what they said or asked for",
        help_text="In their own words where you can. Do not write names.",
        max_length=limits.SUMMARY,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = "thing a young person asked for"
        verbose_name_plural = "things young people asked for"

    def __str__(self):
        return f"Asked for on visit {self.visit_id}: {self.said[:60]}"

    def clean(self):
        super().clean()
        if (
            self.visit_id
            and self.young_person_id
            and not self.visit.young_people_met.filter(pk=self.young_person_id).exists()
        ):
            raise ValidationError({"young_person": "Choose one of the young people met on this visit"})
