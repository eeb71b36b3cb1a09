"""Forms for recommendations and the provider's response to a visit report."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator

from qa_portal import dates
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm, PortalModelForm
from qa_portal.intentions import Submit
from qa_portal.layout import Reveal
from qa_portal.models import User
from qa_portal.roles import STAFF_ROLES
from reviews.models import Level, Recommendation

# Said beside the level to someone who may not see young people (providers.access).
NO_CHILD_LEVEL = "A recommendation for one child is raised by staff who may see young people's records."


def without_child_level(form) -> None:
    """For someone who may not see young people: no young person to choose, so no child-level
    recommendation either (its constraint needs one)."""
    del form.fields["young_person"]
    form.fields["level"].choices = [choice for choice in Level.choices if choice[0] != Level.CHILD]
    form.fields["level"].help_text = NO_CHILD_LEVEL


def level_with_young_person(form):
    """The level's radios, with the young person revealed under "Child-level" (GOV.UK's conditional
    reveal); the model drops a young person posted with another level."""
    if "young_person" not in form.fields:
        return Field.radios("level")
    return Reveal("level", {Level.CHILD: [Field.select("young_person")]})


class RecommendationForm(PortalModelForm):
    """A recommendation about one provider, its young people named from `people` (ages on `on`), or
    none and no child level if `people` is None (someone who may not see young people).
    Subclasses say where it came from."""

    due_date = UKDateField(label="Due date", within=dates.DUE)

    class Meta:
        model = Recommendation
        fields = ["level", "young_person", "text", "owner", "action_holder", "due_date", "priority"]
        widgets = {"level": forms.RadioSelect, "action_holder": forms.RadioSelect, "priority": forms.RadioSelect}
        labels = {"young_person": "Young person (for a child-level recommendation)"}

    def __init__(self, *args, provider, people, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.provider = provider
        self.fields["level"].choices = Level.choices  # no blank "---------" radio
        if people is None:
            without_child_level(self)
        else:
            self.fields["young_person"].queryset = people
            self.fields["young_person"].label_from_instance = lambda p: f"{p.initials}, aged {p.age_on(on)}"
            self.fields["young_person"].empty_label = "Not for one young person"
            self.fields["young_person"].required = False
        self.fields["owner"].queryset = User.objects.active_with_role(*STAFF_ROLES).order_by("full_name")
        self.fields["owner"].empty_label = "Choose who owns it"
        self.fields["owner"].label_from_instance = lambda u: (
            f"{u.full_name}, {u.job_title}" if u.job_title else u.full_name
        )
        for name, message in {
            "level": "Choose whether this is for a child or a service",
            "text": "Write the recommendation",
            "owner": "Choose who owns this recommendation",
        }.items():
            self.fields[name].error_messages["required"] = message
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            level_with_young_person(self),
            Field.textarea("text", rows=5),
            Field.select("owner"),
            Field.radios("action_holder"),
            Field.text("due_date"),
            Field.radios("priority"),
            Submit("submit", "Save recommendation"),
        )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due and due < timezone.localdate() and not self.instance.pk:
            raise forms.ValidationError("The due date must be today or later")
        return due


class VisitRecommendationForm(RecommendationForm):
    """A recommendation in a visit report, which may answer something a young person met asked for
    (`you_said`, one of the visit's marks: "You said, we did", issue 17). A child-level one answers only
    what its own young person asked for (Recommendation.clean)."""

    class Meta(RecommendationForm.Meta):
        fields = [*RecommendationForm.Meta.fields, "you_said"]
        labels = {
            **RecommendationForm.Meta.labels,
            "you_said": "Does it answer something a young person asked for? (optional)",
        }

    def __init__(self, *args, visit, people, **kwargs):
        super().__init__(*args, provider=visit.provider, people=people, on=visit.date, **kwargs)
        self.instance.visit = visit
        marks = visit.you_said.select_related("young_person").order_by("pk")
        field = self.fields["you_said"]
        field.queryset = marks
        field.empty_label = "No, it does not answer one of them"
        field.required = False
        field.error_messages["invalid_choice"] = "Choose something a young person asked for on this visit"
        # Whoever may not see young people reads the words without the initials.
        field.label_from_instance = lambda mark: (
            f"{mark.young_person.initials}: “{Truncator(mark.said).chars(90)}”"
            if people is not None
            else f"“{Truncator(mark.said).chars(90)}”"
        )
        if not marks.exists():
            del self.fields["you_said"]
        else:
            self.helper.layout.insert(0, Field.select("you_said"))


class ProviderResponseForm(PortalForm):
    """The provider's comment on the report and, for each recommendation, whether they accept it
    and what they will do by when."""

    comment = forms.CharField(
        label="Your comments on the report",
        max_length=limits.NARRATIVE,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Write your comments on the report"},
    )

    def __init__(self, *args, visit, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendations = list(recommendations)
        self.initial.setdefault("comment", visit.provider_comment)
        layout = [Field.textarea("comment", rows=8)]
        for n, rec in enumerate(self.recommendations, start=1):
            prefix = f"r{rec.pk}_"
            self.fields[prefix + "accepted"] = forms.ChoiceField(
                label="Do you accept this recommendation?",
                choices=[("yes", "Yes"), ("no", "No")],
                widget=forms.RadioSelect,
                error_messages={"required": f"Say whether you accept recommendation {n}"},
            )
            self.fields[prefix + "reason"] = forms.CharField(
                label="If not, why not?",
                max_length=limits.REASON,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[prefix + "action"] = forms.CharField(
                label="The action you will take",
                max_length=limits.SUMMARY,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[prefix + "action_by"] = UKDateField(label="By when", required=False, within=dates.DUE)
            if rec.provider_accepted is not None:
                self.initial[prefix + "accepted"] = "yes" if rec.provider_accepted else "no"
                self.initial[prefix + "reason"] = rec.provider_reason
                self.initial[prefix + "action"] = rec.provider_action
                self.initial[prefix + "action_by"] = rec.provider_action_by
            who = f" for {rec.young_person.initials}" if rec.level == Level.CHILD and rec.young_person else ""
            # The recommendation's text is what someone typed: escaped here, and legends are escaped
            # by our crispy-forms-gds templates too (templates/gds), so it is only ever text.
            layout.append(
                Fieldset(
                    Field.radios(prefix + "accepted"),
                    Field.textarea(prefix + "action", rows=3),
                    Field.text(prefix + "action_by"),
                    Field.textarea(prefix + "reason", rows=3),
                    legend=format_html("Recommendation {}{}: {}", n, who, rec.text),
                    legend_size=Size.SMALL,
                )
            )
        layout.append(Submit("submit", "Send your response"))
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*layout)

    def clean(self):
        cleaned = super().clean()
        for n, rec in enumerate(self.recommendations, start=1):
            prefix = f"r{rec.pk}_"
            accepted = cleaned.get(prefix + "accepted")
            if accepted == "yes":
                if not (cleaned.get(prefix + "action") or "").strip():
                    self.add_error(prefix + "action", f"Say what you will do about recommendation {n}")
                if not cleaned.get(prefix + "action_by") and prefix + "action_by" not in self.errors:
                    self.add_error(prefix + "action_by", f"Say by when you will do it (recommendation {n})")
            elif accepted == "no" and not (cleaned.get(prefix + "reason") or "").strip():
                self.add_error(prefix + "reason", f"Say why you do not accept recommendation {n}")
        return cleaned

    def responses(self) -> dict[int, dict]:
        out = {}
        for rec in self.recommendations:
            prefix = f"r{rec.pk}_"
            accepted = self.cleaned_data[prefix + "accepted"] == "yes"
            out[rec.pk] = {
                "accepted": accepted,
                "reason": "" if accepted else self.cleaned_data[prefix + "reason"].strip(),
                "action": self.cleaned_data[prefix + "action"].strip() if accepted else "",
                "action_by": self.cleaned_data[prefix + "action_by"] if accepted else None,
            }
        return out
