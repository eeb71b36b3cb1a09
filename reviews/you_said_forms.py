"""Forms of "You said, we did" (issue 17): marking what a young person asked for on a visit."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms

from qa_portal.inputs.forms import PortalModelForm
from qa_portal.intentions import Submit
from reviews.models import YouSaid


class YouSaidForm(PortalModelForm):
    """Who said it (one of the young people met on `visit`, by initials and age) and what they said.
    `base` carries when the mark was last saved as the form was opened, so that a colleague's change
    made meanwhile is never overwritten unseen (reviews.services.you_said_save)."""

    base = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = YouSaid
        fields = ["young_person", "said"]
        labels = {"young_person": "Which young person said it?", "said": "What they said or asked for"}
        widgets = {"said": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.visit = visit
        people = visit.young_people_met.order_by("initials", "pk")
        self.fields["young_person"].queryset = people
        self.fields["young_person"].label_from_instance = lambda p: f"{p.initials}, aged {p.age_on(visit.date)}"
        self.fields["young_person"].empty_label = "Choose the young person"
        self.fields["young_person"].error_messages.update(
            required="Choose which young person said it",
            invalid_choice="Choose one of the young people met on this visit",
        )
        self.fields["said"].error_messages["required"] = "Write what the young person said or asked for"
        if self.instance.pk and not self.is_bound:
            self.initial["base"] = self.instance.updated_at.isoformat()
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("young_person"),
            Field.textarea("said", rows=4),
            "base",
            Submit("submit", "Save"),
        )
