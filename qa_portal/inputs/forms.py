"""The base of every form in the portal: `PortalForm` and `PortalModelForm` (or `InputsMixin` before
a form class of Django's, as the sign-in form does).

Every text box (a CharField that is not hidden: email addresses and passwords included):

- has a maximum length: its own `max_length`, or the default of its kind (`limits.NARRATIVE` for a
  text area, `limits.LINE` for a one-line box); over it, the message beside the box says the limit and
  how long the text is ("Summary must be 5,000 characters or fewer; it has 5,210"). A text area gets
  no `maxlength` attribute: a browser would cut pasted text short without a word.
- holds text only: a control character (NUL, a form feed pasted from a PDF…; `text`) is taken out of
  what the form shows again, and the box says so ("… had a hidden character that is not text
  (U+0000), which has been taken out. Check it, then save again"), so nothing is saved until the
  person has seen the text as it will be kept.
- a one-line box holds one line: a line break (which no browser sends from one; a crafted request
  can, and it would break an email's subject or a row of a CSV) is made a space the same way, and
  the box says so.

A date or a number typed in a box has its control characters taken out too, before it is read.
Hidden fields are the page's own (a base to compare with, a time loaded), checked by the view that
reads them; a control character in one is refused by Django's own check, never stored.

And every field is shown as the GOV.UK Design System has it (README: Forms):

- a number is a text box with a numeric keyboard (`inputmode`), not `type="number"` (GOV.UK: a
  number input changes its value when scrolled over and rounds long numbers), styled `govuk-input`
  by crispy-forms-gds as every text box is (its width is the layout's `field_width`);
- a date is the date input pattern (`qa_portal.fields.UKDateField`);
- radios never offer a blank "---------" choice: a required one has no empty radio; an optional one
  names its empty radio ("Not known", unless the form gives it other words).
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

from qa_portal.inputs import limits
from qa_portal.inputs.text import first_control_character, has_line_break, on_one_line, without_control_characters

# Django's blank choice, never shown as a radio; an optional radio's blank choice is named instead.
BLANK_DASHES = "---------"
NOT_KNOWN = "Not known"


def _label(name: str, field: forms.Field) -> str:
    return str(field.label) if field.label else pretty_name(name)


def control_character_message(label: str, code_point: str) -> str:
    return (
        f"{limits.named(label)} had a hidden character that is not text ({code_point}), which has been taken out. "
        "Check it, then save again"
    )


def line_break_message(label: str) -> str:
    return f"{limits.named(label)} must be on one line: its line break has been made a space. Check it, then save again"


LINE_BREAK = "line break"


def is_text_box(field: forms.Field) -> bool:
    """A text box a person types in: a CharField (EmailField, password…) that is not hidden."""
    return isinstance(field, forms.CharField) and not field.widget.is_hidden


TYPED_INPUTS = {"text", "email", "password", "number", "search", "tel", "url", "date"}


def _typed_widget(widget: forms.Widget) -> bool:
    return not widget.is_hidden and (
        isinstance(widget, forms.Textarea) or getattr(widget, "input_type", None) in TYPED_INPUTS
    )


def is_typed_in(field: forms.Field) -> bool:
    """A field whose value a person types (a text box, a number, or a date's boxes)."""
    widget = field.widget
    if isinstance(widget, forms.MultiWidget):
        return not widget.is_hidden and all(map(_typed_widget, widget.widgets))
    return _typed_widget(widget)


def typed_keys(field: forms.Field, key: str) -> list[str]:
    """The names in the posted data that a typed field reads: its own, or its boxes' (date_day…)."""
    widget = field.widget
    if isinstance(widget, forms.MultiWidget):
        return [key, *(f"{key}{suffix}" for suffix in widget.widgets_names)]
    return [key]


def show_as_govuk(field: forms.Field) -> None:
    """A field as the Design System shows it (see the module): numbers in a numeric text box, and no
    blank "---------" radio."""
    if isinstance(field, forms.IntegerField | forms.DecimalField) and isinstance(field.widget, forms.NumberInput):
        attrs = {key: value for key, value in field.widget.attrs.items() if key not in ("min", "max", "step")}
        attrs["inputmode"] = "numeric" if isinstance(field, forms.IntegerField) else "decimal"
        attrs.setdefault("spellcheck", "false")
        field.widget = forms.TextInput(attrs=attrs)
    # Check boxes are a RadioSelect to Django, but have no blank choice to name: none ticked is blank.
    widget = field.widget
    radios = isinstance(widget, forms.RadioSelect) and not isinstance(widget, forms.CheckboxSelectMultiple)
    if radios and isinstance(field, forms.ChoiceField):
        _name_the_blank_radio(field)


def _name_the_blank_radio(field: forms.ChoiceField) -> None:
    if isinstance(field, forms.ModelChoiceField):
        if field.required:
            field.empty_label = None
        elif field.empty_label in (None, BLANK_DASHES):
            field.empty_label = NOT_KNOWN
        field.widget.choices = field.choices
        return
    choices = []
    for value, label in field.choices:
        if value in field.empty_values and not isinstance(label, list | tuple):
            if field.required:
                continue
            label = NOT_KNOWN if str(label) in ("", BLANK_DASHES) else label
        choices.append((value, label))
    field.choices = choices


class InputsMixin:
    """Limits and control characters for every text box of a form (see the module). Put it first:
    `class SignInForm(InputsMixin, AuthenticationForm)`."""

    def _prepare_text_boxes(self) -> dict[str, forms.Field]:
        """The form's text boxes, each given its maximum length and message, and every field shown
        as GOV.UK's (`show_as_govuk`); once, fields added late by a form's own __init__, as a visit
        section's questions are, included."""
        boxes = {}
        for name, field in self.fields.items():
            if not getattr(field, "_shown_as_govuk", False):
                show_as_govuk(field)
                field._shown_as_govuk = True
            if not is_text_box(field):
                continue
            boxes[name] = field
            if getattr(field, "_limit_prepared", False):
                continue
            is_area = isinstance(field.widget, forms.Textarea)
            field.max_length = field.max_length or (limits.NARRATIVE if is_area else limits.LINE)
            field.validators = [
                *(v for v in field.validators if not isinstance(v, MaxLengthValidator | limits.LengthLimit)),
                limits.LengthLimit(field.max_length, label=_label(name, field)),
            ]
            if is_area:
                field.widget.attrs.pop("maxlength", None)
            field._limit_prepared = True
        return boxes

    def __getitem__(self, name):
        self._prepare_text_boxes()
        return super().__getitem__(name)

    def full_clean(self):
        self._prepare_text_boxes()
        typed = {name: field for name, field in self.fields.items() if is_typed_in(field)}
        found: dict[str, str] = {}
        if self.is_bound:
            cleaned_data = None
            for name in typed:
                for key in typed_keys(typed[name], self.add_prefix(name)):
                    if key not in self.data:
                        continue
                    values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
                    values = [value for value in values if isinstance(value, str)]
                    one_line = not isinstance(typed[name].widget, forms.Textarea)
                    code_point = next((c for c in map(first_control_character, values) if c), None)
                    if code_point is None and one_line and any(map(has_line_break, values)):
                        code_point = LINE_BREAK
                    if code_point is None:
                        continue
                    found.setdefault(name, code_point)
                    if cleaned_data is None:
                        cleaned_data = self.data.copy()

                    def kept(value: str, one_line: bool = one_line) -> str:
                        value = without_control_characters(value)
                        return on_one_line(value) if one_line else value

                    if hasattr(cleaned_data, "setlist"):
                        cleaned_data.setlist(key, [kept(value) for value in values])
                    else:
                        cleaned_data[key] = kept(values[0]) if values else ""
            if cleaned_data is not None:
                self.data = cleaned_data
        super().full_clean()
        for name, code_point in found.items():
            if name not in self._errors:
                label = _label(name, typed[name])
                message = (
                    line_break_message(label)
                    if code_point == LINE_BREAK
                    else control_character_message(label, code_point)
                )
                self.add_error(name, message)


class PortalForm(InputsMixin, forms.Form):
    """The base of every plain form in the portal (see the module)."""


class PortalModelForm(InputsMixin, forms.ModelForm):
    """The base of every model form in the portal (see the module)."""
