"""Form fields shared across the portal."""

from django import forms


class UKDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, with messages a person can act on."""

    # Shows a saved date the way it is typed (23/04/2024), not as 2024-04-23.
    widget = forms.DateInput(
        format="%d/%m/%Y", attrs={"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}
    )
    default_error_messages = {"invalid": "Enter a real date in the format dd/mm/yyyy, like 23/04/2024"}

    def __init__(self, *, label=None, required=True, help_text="For example, 23/04/2024", **kwargs):
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", f"Enter the {str(label or 'date').lower()}")
        super().__init__(label=label, required=required, help_text=help_text, **kwargs)
