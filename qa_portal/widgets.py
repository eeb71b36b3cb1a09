"""Widgets of the GOV.UK Design System that Django and crispy-forms-gds do not give as the Design System
specifies them (README: Forms).

- `DateInput`: the date input pattern, three boxes (day, month, year) in a fieldset, read by
  `qa_portal.fields.UKDateField` with the one rule every date follows (`qa_portal.dates.read_date`).
- `Select`'s `autocomplete` and `depends_on`: a long list (providers, young people) becomes GOV.UK's
  accessible-autocomplete, and a list that depends on another (a provider's settings) offers only the
  options of the choice made there. Both are progressive enhancement by `static/js/selects.js`: without
  JavaScript the select works as it is, and the form checks the pair all the same.
- `Select` writes its options without a template each (a list of a thousand providers), and
  `LabelChoiceIterator` reads a ModelChoiceField's options as (pk, one column): the list pages' filters
  use both (qa_portal.lists.ListFilterSet).
"""

import datetime
from collections.abc import Callable
from html import escape

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from qa_portal.dates import read_date

PARTS = ("day", "month", "year")


class DateParts(str):
    """What was typed in a date input's three boxes, as the one text `read_date` reads ("23/4/2024"),
    with the boxes kept as typed (`parts`: day, month, year) so the page shows them back as typed."""

    parts: tuple[str, str, str]

    def __new__(cls, day: str, month: str, year: str):
        text = super().__new__(cls, f"{day.strip()}/{month.strip()}/{year.strip()}")
        text.parts = (day, month, year)
        return text

    def missing(self) -> list[str]:
        """The boxes left blank, by name ("day", "month", "year")."""
        return [name for name, part in zip(PARTS, self.parts, strict=True) if not part.strip()]


class DateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes (`<name>_day`, `<name>_month`, `<name>_year`),
    labelled, numeric keyboards, 2, 2 and 4 characters wide. Posted, it gives a `DateParts`; a form that
    posts the date as one text (the visit autosave, a script, an older page) is read the same way.

    `error_parts` (set by the field's bound field) names the boxes that get the red border: the blank
    ones when only some are blank, the year when only the year is wrong, otherwise all three."""

    template_name = "components/date_input.html"
    is_date_input = True  # for the templates (gds/layout/multifield.html, the error summary)
    WIDTHS = {"day": 2, "month": 2, "year": 4}

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                    "spellcheck": "false",
                    "autocomplete": "off",
                }
            )
            for part, width in self.WIDTHS.items()
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, DateParts):
            return list(value.parts)
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value.strip():
            try:
                return self.decompress(read_date(value))
            except ValueError:
                return [value, "", ""]  # text that is not a date is shown back, not lost
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        keys = [f"{name}_{part}" for part in PARTS]
        if not any(key in data for key in keys) and name in data:
            return self._one_text(data.get(name))
        parts = [data.get(key) or "" for key in keys]
        if not any(part.strip() for part in parts if isinstance(part, str)):
            return ""
        return DateParts(*(part if isinstance(part, str) else "" for part in parts))

    @staticmethod
    def _one_text(text):
        # "3//2024", as the autosave joins half-filled boxes, is read as the boxes it came from.
        if isinstance(text, str) and text.count("/") == 2:
            day, month, year = text.split("/")
            if not all(part.strip() for part in (day, month, year)) and any(p.strip() for p in (day, month, year)):
                return DateParts(day, month, year)
        return text

    def value_omitted_from_data(self, data, files, name):
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {})
        error_parts = attrs.pop("error_parts", ())
        context = super().get_context(name, value, attrs)
        id_ = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["label"] = part.capitalize()
            sub_attrs = subwidget["attrs"]
            if id_:
                sub_attrs["id"] = f"{id_}_{part}"
            sub_attrs.pop("aria-describedby", None)  # the fieldset carries the hint and the error
            sub_attrs.pop("aria-invalid", None)
            if part in error_parts:
                sub_attrs["class"] = f"{sub_attrs['class']} govuk-input--error"
                sub_attrs["aria-invalid"] = "true"
        return context

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else id_


class Select(forms.Select):
    """A select that JavaScript may enhance (see the module).

    - `autocomplete=True`: becomes an accessible-autocomplete, for lists of hundreds or thousands.
    - `depends_on="provider"`, `key=lambda setting: setting.provider_id`: offers only the options whose
      key is the value chosen in the form's field named `depends_on` (options with no key, such as the
      blank one, always stay). The form must still refuse a pair that does not match."""

    def __init__(
        self,
        attrs=None,
        *,
        autocomplete: bool = False,
        depends_on: str | None = None,
        key: Callable[[object], object] | None = None,
        choices=(),
    ):
        attrs = dict(attrs or {})
        if autocomplete:
            attrs["data-autocomplete"] = "true"
        if depends_on:
            attrs["data-depends-on"] = depends_on
        super().__init__(attrs, choices)
        self.key = key

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if self.key is not None and instance is not None:
            option["attrs"]["data-parent"] = str(self.key(instance) or "")
        return option

    def render(self, name, value, attrs=None, renderer=None):
        """The same HTML as Django's template gives, written here: a list of a thousand providers took
        tens of milliseconds through a template per option (issue 15). Options in groups, options
        that carry a parent (`depends_on`) and multiple choice go through Django's templates."""
        if self.key is not None or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        chosen = self.format_value(value)
        options = []
        has_selected = False
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else str(option_value)
            selected = not has_selected and option_value in chosen
            has_selected |= selected
            options.append(
                f'<option value="{escape(option_value)}"{" selected" if selected else ""}>{_text(label)}</option>'
            )
        return mark_safe(
            f"<select{_attributes({'name': name, **self.build_attrs(self.attrs, attrs)})}>\n  "
            + "\n  ".join(options)
            + "\n</select>"
        )


def _text(label) -> str:
    # html.escape, as Django's escape does, but without the cost of a lazy string's wrapper per option.
    if isinstance(label, str) and not isinstance(label, SafeData):
        return escape(label)
    return conditional_escape(label)


def _attributes(attrs: dict) -> str:
    """Attributes as Django's widgets/attrs.html writes them: True as the bare name, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class LabelChoiceIterator(ModelChoiceIterator):
    """A ModelChoiceField's choices as (pk, label) read in one query straight from the database
    (`field.label_field`, a column such as "name"), with no model instance per option: for the
    filters of lists whose choices are every provider or person (thousands at a consortium's size)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


def autocomplete(field: forms.ChoiceField) -> forms.ChoiceField:
    """Make `field`'s select an accessible-autocomplete (a list of hundreds or thousands); returns it."""
    field.widget.attrs["data-autocomplete"] = "true"
    return field


def depends_on(field: forms.ModelChoiceField, parent: str, key: Callable[[object], object]) -> forms.ModelChoiceField:
    """Offer in `field` only the options whose `key(option)` is the value chosen in the form's field
    `parent` (see `Select`); returns it. The form must still refuse a pair that does not match."""
    widget = Select(field.widget.attrs, depends_on=parent, key=key)
    widget.is_required = field.required
    widget.choices = field.choices
    field.widget = widget
    return field
