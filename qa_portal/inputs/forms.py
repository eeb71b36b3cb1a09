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

A date or a number typed in a box has its control characters taken out too, before it is read.
Hidden fields are the page's own (a base to compare with, a time loaded), checked by the view that
reads them; a control character in one is refused by Django's own check, never stored.
"""

from django import forms
from django.core.validators import MaxLengthValidator
from django.forms.utils import pretty_name

from qa_portal.inputs import limits
from qa_portal.inputs.text import first_control_character, without_control_characters


def _label(name: str, field: forms.Field) -> str:
    return str(field.label) if field.label else pretty_name(name)


def control_character_message(label: str, code_point: str) -> str:
    return (
        f"{limits.named(label)} had a hidden character that is not text ({code_point}), which has been taken out. "
        "Check it, then save again"
    )


def is_text_box(field: forms.Field) -> bool:
    """A text box a person types in: a CharField (EmailField, password…) that is not hidden."""
    return isinstance(field, forms.CharField) and not field.widget.is_hidden


TYPED_INPUTS = {"text", "email", "password", "number", "search", "tel", "url", "date"}


def is_typed_in(field: forms.Field) -> bool:
    """A field whose value a person types (a text box, or a date or number typed in a text box)."""
    widget = field.widget
    return not widget.is_hidden and (
        isinstance(widget, forms.Textarea) or getattr(widget, "input_type", None) in TYPED_INPUTS
    )


class InputsMixin:
    """Limits and control characters for every text box of a form (see the module). Put it first:
    `class SignInForm(InputsMixin, AuthenticationForm)`."""

    def _prepare_text_boxes(self) -> dict[str, forms.Field]:
        """The form's text boxes, each given its maximum length and message (once; fields added late
        by a form's own __init__, as a visit section's questions are, included)."""
        boxes = {}
        for name, field in self.fields.items():
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
                key = self.add_prefix(name)
                values = self.data.getlist(key) if hasattr(self.data, "getlist") else [self.data.get(key)]
                values = [value for value in values if isinstance(value, str)]
                code_point = next((c for c in map(first_control_character, values) if c), None)
                if code_point is None:
                    continue
                found[name] = code_point
                if cleaned_data is None:
                    cleaned_data = self.data.copy()
                if hasattr(cleaned_data, "setlist"):
                    cleaned_data.setlist(key, [without_control_characters(value) for value in values])
                else:
                    cleaned_data[key] = without_control_characters(values[0]) if values else ""
            if cleaned_data is not None:
                self.data = cleaned_data
        super().full_clean()
        for name, code_point in found.items():
            if name not in self._errors:
                self.add_error(name, control_character_message(_label(name, typed[name]), code_point))


class PortalForm(InputsMixin, forms.Form):
    """The base of every plain form in the portal (see the module)."""


class PortalModelForm(InputsMixin, forms.ModelForm):
    """The base of every model form in the portal (see the module)."""
