"""What every form of the provider register shares: the GOV.UK layout and the "required" messages."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size
from django import forms

from qa_portal.intentions import Submit


def form_helper(*fields, submit: str) -> FormHelper:
    """The fields laid out one under another, small labels, and the submit button."""
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def required_messages(form: forms.BaseForm, messages: dict[str, str]) -> None:
    """Field name -> the message shown when it is left blank."""
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message
