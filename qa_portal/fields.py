"""Form fields shared across the portal."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from qa_portal.dates import DateRange, DateTextError, read_date


class UKDateBoundField(BoundField):
    """A date's text box, styled as GOV.UK's, with the red border of an error when it has one:
    crispy-forms-gds gives those only to a TextInput, and a date needs DateInput's dd/mm/yyyy."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        classes = [*(attrs.get("class") or widget.attrs.get("class", "")).split(), "govuk-input"]
        if self.errors:
            classes.append("govuk-input--error")
        attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs


class UKDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, with messages a person can act on.

    Read by `qa_portal.dates.read_date`, the rule every import follows too: the year in 4 digits
    ("14/02/10" and "14/02/0010" are refused with "Enter the year as 4 digits, for example 2026"),
    nothing before 1900 or more than 10 years ahead. `within`, the kind of date it is
    (`qa_portal.dates.VISIT`, `DUE`, `PERIOD_START`), narrows that to the dates such a thing can
    have; `earliest` alone, where the domain gives only that, refuses anything before it."""

    # Shows a saved date the way it is typed (23/04/2024), not as 2024-04-23.
    widget = forms.DateInput(
        format="%d/%m/%Y", attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}
    )
    default_error_messages = {"invalid": "Enter a real date in the format dd/mm/yyyy, like 23/04/2024"}
    bound_field_class = UKDateBoundField

    def __init__(
        self,
        *,
        label=None,
        required=True,
        help_text="For example, 23/04/2024",
        earliest: datetime.date | None = None,
        within: DateRange | None = None,
        **kwargs,
    ):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter the {str(label or 'date').lower()}")
        self.earliest, self.within = earliest, within
        super().__init__(label=label, required=required, help_text=help_text, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return read_date(value)
        except DateTextError as exc:
            message = self.error_messages["invalid"] if exc.code in ("invalid", "not_real") else exc.message
            raise ValidationError(message, code=exc.code) from None

    def validate(self, value):
        super().validate(value)
        if self.within and (problem := self.within.problem(value, f"The {str(self.label or 'date').lower()}")):
            raise ValidationError(problem, code="out_of_range")
        if value and self.earliest and value < self.earliest:
            raise ValidationError(
                f"The {str(self.label or 'date').lower()} must be on or after {self.earliest:%-d %B %Y}",
                code="too_early",
            )
