"""Forms for the visit template editor: a section, a question, publishing, and the preview of a section
as a visitor sees it. Validation and layout only; visits.template_editing makes the changes."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms

from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm
from qa_portal.intentions import Submit
from visits.forms import SectionForm
from visits.models import QuestionKind, TemplateQuestion, TemplateSection

FIRST = "first"
CHOICE_LENGTH = TemplateQuestion._meta.get_field("choices").base_field.max_length


def _helper(*layout) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


class TemplateSectionForm(PortalForm):
    """A section's title and guidance; for a new section, also where it goes."""

    title = forms.CharField(
        label="Title",
        max_length=TemplateSection._meta.get_field("title").max_length,
        help_text="Visitors see it as the section's heading, for example “The home and the area”",
        error_messages={"required": "Enter the section's title"},
    )
    guidance = forms.CharField(
        label="Guidance for visitors (optional)",
        max_length=limits.SUMMARY,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown under the heading: what to look for and how to write it up",
    )
    after = forms.ChoiceField(label="Put it after", error_messages={"required": "Choose where the section goes"})

    def __init__(self, *args, sections: list[TemplateSection] | None = None, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        layout = [Field.text("title", field_width=Fluid.TWO_THIRDS), Field.textarea("guidance", rows=3)]
        if sections is None:
            del self.fields["after"]
        else:
            self.fields["after"].choices = [
                (FIRST, "At the start, before section 1"),
                *((str(s.pk), f"{s.number}. {s.title}") for s in sections),
            ]
            self.initial.setdefault("after", _before_the_closing_sections(sections))
            layout.append(Field.select("after"))
        self.helper = _helper(*layout, Submit("submit", submit))


def _before_the_closing_sections(sections: list[TemplateSection]) -> str:
    """Where a new section goes unless the administrator says otherwise: after the last section of
    questions, before the overall judgement, recommendations and the provider's comments that close
    the report."""
    closing = {"overall", "recommendations", "provider_response"}
    ordinary = [s for s in sections if s.special not in closing]
    return str(ordinary[-1].pk) if ordinary else FIRST


class TemplateQuestionForm(PortalForm):
    """A question: its wording, hint, kind of answer (with the choices of a choice question) and whether
    it must be answered before the visit is submitted."""

    text = forms.CharField(
        label="Question",
        max_length=TemplateQuestion._meta.get_field("text").max_length,
        error_messages={"required": "Enter the question"},
    )
    help_text = forms.CharField(
        label="Hint (optional)",
        max_length=TemplateQuestion._meta.get_field("help_text").max_length,
        required=False,
        help_text="Shown under the question, for example “Decoration, repairs, cleanliness, furnishings”",
    )
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of answer"},
    )
    choices = forms.CharField(
        label="Choices, for a choice question",
        max_length=limits.REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One a line, at least two. Leave it empty for other kinds of answer.",
    )
    required = forms.ChoiceField(
        label="Must it be answered before the visit is submitted?",
        choices=[("yes", "Yes"), ("no", "No, it can be left blank")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether it must be answered"},
    )

    def __init__(self, *args, question: TemplateQuestion | None = None, submit: str, **kwargs):
        if question is not None:
            kwargs.setdefault(
                "initial",
                {
                    "text": question.text,
                    "help_text": question.help_text,
                    "kind": question.kind,
                    "choices": "\n".join(question.choices),
                    "required": "yes" if question.required else "no",
                },
            )
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("text"),
            Field.text("help_text"),
            # Not a conditional reveal under "Choice": GOV.UK Frontend marks such radios aria-expanded,
            # which axe counts a critical failure (alphagov/govuk-frontend#979), so the box is always shown.
            Field.radios("kind"),
            Field.textarea("choices", rows=4),
            Field.radios("required", inline=True),
            Submit("submit", submit),
        )

    def clean_choices(self):
        lines = [line.strip() for line in self.cleaned_data.get("choices", "").splitlines()]
        choices = list(dict.fromkeys(line for line in lines if line))
        too_long = [choice for choice in choices if len(choice) > CHOICE_LENGTH]
        if too_long:
            raise forms.ValidationError(
                f"Each choice must be {CHOICE_LENGTH} characters or fewer; “{too_long[0][:40]}…” has {len(too_long[0])}"
            )
        return choices

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("kind") == QuestionKind.CHOICE
        if choice and "choices" not in self.errors and len(cleaned.get("choices") or []) < 2:
            self.add_error("choices", "Enter at least two choices, one a line")
        return cleaned

    def values(self) -> dict:
        """The question's values for visits.template_editing."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "help_text": data["help_text"],
            "kind": data["kind"],
            "choices": data["choices"] if data["kind"] == QuestionKind.CHOICE else [],
            "required": data["required"] == "yes",
        }


class PublishForm(PortalForm):
    notes = forms.CharField(
        label="What changed in this version",
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the version, for whoever reads an older visit report",
        error_messages={"required": "Say what changed in this version"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("notes", rows=3), Submit("submit", "Publish this version"))


class _NoVisit:
    """What a preview stands in for the visit with: nothing answered, no provider chosen yet."""

    pk = None
    setting_id = None
    date = None

    def __getattr__(self, name):
        return None


class SectionPreviewForm(SectionForm):
    """A section of a template version as a visitor sees it when writing up a visit (visits.forms
    .SectionForm itself), on no visit: every answer blank, and no provider's settings or young
    people to choose from. Never saved."""

    def __init__(self, *, section: TemplateSection):
        super().__init__(visit=_NoVisit(), section=section)

    def _answers(self):
        return {}

    def _visit_field(self, name, plan):
        if name == "setting":
            return forms.ChoiceField(
                label="Setting", required=False, choices=[("", "The provider as a whole")], help_text=None
            )
        if name == "young_people_met":
            return forms.MultipleChoiceField(
                label="Young people met",
                widget=forms.CheckboxSelectMultiple,
                choices=[("", "The young people placed there on the visit date, by initials, age and cohort")],
                help_text="Young people placed with this provider on the visit date. Initials only.",
            )
        return super()._visit_field(name, plan)

    def _initial(self, name):
        return None

    def _base_initial(self, name):
        return ""
