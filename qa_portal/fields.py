"""Form fields shared across the portal."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from qa_portal.dates import DateRange, DateTextError, read_date
from qa_portal.widgets import PARTS, DateInput, DateParts


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


class UKDateBoundField(BoundField):
    """A date input with its error: the boxes to mark (`DateInput`'s `error_parts`), and the box the
    error summary links to (`anchor_id`), as GOV.UK's date input pattern asks."""

    def error_parts(self) -> tuple[str, ...]:
        if not self.errors:
            return ()
        value = self.value()
        if isinstance(value, DateParts) and 0 < len(missing := value.missing()) < len(PARTS):
            return tuple(missing)
        codes = {error.code for error in self.form.errors.as_data().get(self.name, [])}
        if codes and codes <= {"short_year", "too_early", "too_late"}:
            return ("year",)
        return PARTS

    @property
    def anchor_id(self) -> str:
        """The id of the first box to correct (the day's, if the whole date is wrong)."""
        parts = self.error_parts() or PARTS
        return f"{self.auto_id}_{parts[0]}"

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("required", None)  # the boxes are checked together, with one message
        if parts := self.error_parts():
            attrs["error_parts"] = parts
        return attrs


class UKDateField(forms.DateField):
    """A date, entered in GOV.UK's date input (day, month and year boxes: `qa_portal.widgets.DateInput`),
    with messages a person can act on.

    The boxes are read as the text "day/month/year" by `qa_portal.dates.read_date`, the rule every
    import follows too: the year in 4 digits ("10" and "0010" are refused with "Enter the year as 4
    digits, for example 2026"), nothing before 1900 or more than 10 years ahead; a month may be typed as
    a number or a name ("4", "Apr"). A box left blank is named ("Date of birth must include a month").
    A date posted as one text (the visit autosave) is read by the same rule. What was typed is shown
    back as typed when it is refused.

    `within`, the kind of date it is (`qa_portal.dates.VISIT`, `DUE`, `PERIOD_START`), narrows that to
    the dates such a thing can have; `earliest` alone, where the domain gives only that, refuses
    anything before it."""

    widget = DateInput
    default_error_messages = {"invalid": "Enter a real date in the format dd/mm/yyyy, like 23/04/2024"}
    bound_field_class = UKDateBoundField

    def __init__(
        self,
        *,
        label=None,
        required=True,
        help_text="For example, 23 4 2024",
        earliest: datetime.date | None = None,
        within: DateRange | None = None,
        **kwargs,
    ):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter the {str(label or 'date').lower()}")
        kwargs.pop("widget", None)  # always the date input: one pattern for every date in the portal
        self.earliest, self.within = earliest, within
        super().__init__(label=label, required=required, help_text=help_text, **kwargs)

    def _named(self) -> str:
        label = str(self.label or "date")
        return label[:1].upper() + label[1:]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, DateParts) and value.missing() == ["month", "year"] and not value.parts[0].isdigit():
            value = value.parts[0]  # a whole date typed or pasted in the day's box: read as typed
        if isinstance(value, DateParts) and (missing := value.missing()):
            raise ValidationError(f"{self._named()} must include a {_and(missing)}", code="incomplete")
        try:
            return read_date(value)
        except DateTextError as exc:
            if exc.code not in ("invalid", "not_real"):
                message = exc.message
            elif isinstance(value, DateParts):
                message = f"{self._named()} must be a real date"
            else:
                message = self.error_messages["invalid"]
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
