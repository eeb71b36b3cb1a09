"""The form that overrides a provider's risk rating, or ends the override in force."""

from crispy_forms_gds.layout import Field
from django import forms
from django.utils import timezone

from providers.forms.layout import form_helper
from providers.models import RiskRating
from qa_portal.dates import years_after
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm

END = "end"
# How far ahead the date to look again may be: an override is a stop-gap, not a second rating.
LONGEST_YEARS = 1


class RiskOverrideForm(PortalForm):
    rating = forms.ChoiceField(
        label="Risk rating",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk rating"},
    )
    reason = forms.CharField(
        label="Why the rules' rating is not right for this provider now",
        max_length=limits.REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="It is shown with the rating and kept in its history.",
    )
    look_again_on = UKDateField(
        label="Date to look again",
        required=False,
        help_text="The override applies up to and including this day; after it, the rules' rating shows "
        "again and you are told. For example, 27 3 2027",
    )

    def __init__(self, *args, in_force: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(value), label) for value, label in reversed(RiskRating.choices)]
        if in_force:
            choices.append((END, "End the override: show the rating from the rules"))
        self.fields["rating"].choices = choices
        self.helper = form_helper(
            Field.radios("rating"),
            Field.textarea("reason", rows=4),
            Field.text("look_again_on"),
            submit="Save risk rating",
        )

    def clean(self):
        data = super().clean()
        if data.get("rating") == END:  # ending needs nothing else; a rating not chosen is said beside it
            return data
        if not (data.get("reason") or "").strip() and "reason" not in self.errors:
            self.add_error("reason", "Enter why you are overriding the rating")
        day = data.get("look_again_on")
        today = timezone.localdate()
        if "look_again_on" in self.errors:
            return data
        if day is None:
            self.add_error("look_again_on", "Enter the date to look again")
        elif day < today:
            self.add_error("look_again_on", "The date to look again must be today or later")
        elif day > (latest := years_after(today, LONGEST_YEARS)):
            self.add_error(
                "look_again_on", f"The date to look again must be within a year: {latest:%-d %B %Y} or before"
            )
        return data
