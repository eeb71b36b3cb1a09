"""Forms for visits: planning, and one form per template section. Validation and layout only."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone

from providers.models import Provider, ProviderStatus, Setting
from qa_portal import dates
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm
from qa_portal.intentions import Submit
from qa_portal.layout import Reveal
from qa_portal.markup import Markup
from qa_portal.models import User
from qa_portal.roles import Role
from qa_portal.widgets import autocomplete, depends_on
from visits.models import (
    HowArranged,
    OverallJudgement,
    QuestionKind,
    TemplateSection,
    Visit,
    VisitReason,
)
from visits.services import VISIT_FIELDS, answer_key, serialise, young_people_placed

BASE_SUFFIX = "__base"
# After a conflict the page carries the other person's version (`__theirs`) and the visitor's
# deliberate choice between the two (`__resolve`: "mine" or "theirs").
THEIRS_SUFFIX = "__theirs"
RESOLVE_SUFFIX = "__resolve"
# GOV.UK asks for a text box with a numeric keyboard rather than type="number".
NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("The date of the visit cannot be in the future")


def _plan_fields() -> dict[str, forms.Field]:
    return {
        "planned_date": UKDateField(label="Planned date", within=dates.VISIT),
        "visit_date": UKDateField(
            label="Date of the visit",
            required=False,
            help_text="Once it has happened. For example, 23 4 2024",
            within=dates.VISIT,
        ),
        "lead_visitor_role": forms.CharField(
            label="Lead visitor's role",
            max_length=150,
            help_text="For example, Assistant Director, People's Services",
            error_messages={"required": "Enter the lead visitor's role"},
        ),
        "others_present": forms.CharField(
            label="Others who came",
            max_length=limits.SUMMARY,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Names and roles",
        ),
        "young_inspectors": forms.IntegerField(
            label="Young Inspectors who came",
            min_value=0,
            max_value=20,
            initial=0,
            required=False,
            error_messages={"invalid": "Enter the number of Young Inspectors as a whole number, like 2"},
            widget=NUMBER,
        ),
        "how_arranged": forms.ChoiceField(
            label="How the visit was arranged", choices=HowArranged.choices, widget=forms.RadioSelect
        ),
        "reasons": forms.MultipleChoiceField(
            label="Why this provider was chosen",
            choices=VisitReason.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": "Choose at least one reason"},
        ),
        "reason_other": forms.CharField(label="Other reason", required=False, max_length=300),
    }


class VisitPlanForm(PortalForm):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.exclude(status=ProviderStatus.ARCHIVED),
        error_messages={"required": "Choose the provider"},
    )
    setting = forms.ModelChoiceField(
        queryset=Setting.objects.none(), required=False, empty_label="The provider as a whole"
    )
    lead_visitor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        empty_label="Choose the lead visitor",
        error_messages={"required": "Choose the lead visitor"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_plan_fields())
        del self.fields["visit_date"]
        self.fields["setting"].queryset = Setting.objects.select_related("provider").filter(is_archived=False)
        self.fields["setting"].label_from_instance = lambda s: f"{s.provider}: {s.name}"
        # Thousands of providers: typed into. Their settings: only the chosen provider's (checked in clean).
        self.fields["provider"].empty_label = "Choose a provider"
        autocomplete(self.fields["provider"])
        depends_on(self.fields["setting"], "provider", key=lambda setting: setting.provider_id)
        self.fields["lead_visitor"].queryset = User.objects.active_with_role(Role.SENIOR_LEADER, Role.QA_LEAD)
        self.fields["lead_visitor"].label_from_instance = lambda u: (
            f"{u.full_name}, {u.job_title}" if u.job_title else u.full_name
        )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("provider"),
            Field.select("setting"),
            Field.text("planned_date"),
            Field.select("lead_visitor"),
            Field.text("lead_visitor_role", field_width=Fluid.TWO_THIRDS),
            Field.textarea("others_present", rows=3),
            Field.text("young_inspectors", field_width=2),
            Field.radios("how_arranged"),
            Reveal("reasons", {VisitReason.OTHER: [Field.text("reason_other")]}),
            Submit("submit", "Plan the visit"),
        )

    def clean(self):
        cleaned = super().clean()
        setting, provider = cleaned.get("setting"), cleaned.get("provider")
        if setting and provider and setting.provider_id != provider.pk:
            self.add_error("setting", "Choose one of this provider's settings, or the provider as a whole")
        if VisitReason.OTHER not in (cleaned.get("reasons") or []):
            cleaned["reason_other"] = ""  # typed, then hidden again when Other was unticked
        elif not cleaned.get("reason_other", "").strip():
            self.add_error("reason_other", "Say what the other reason was")
        return cleaned


class SectionForm(PortalForm):
    """One section of the visit template: its questions, and for the special sections the visit's
    own fields. Every field carries its `__base`: the value the visitor started from, as the text
    `visits.services.serialise` gives. Only fields whose base is posted are saved (an autosave posts
    only the fields the visitor changed); a conflict is settled only by the visitor's choice."""

    def __init__(self, *args, visit: Visit, section: TemplateSection, **kwargs):
        super().__init__(*args, **kwargs)
        self.visit, self.section = visit, section
        self.visit_field_names = VISIT_FIELDS.get(section.special, [])
        layout = []
        plan = _plan_fields()
        for name in self.visit_field_names:
            self.fields[name] = self._visit_field(name, plan)
            self.fields[name].required = False  # completeness is checked on submission
            self.initial[name] = self._initial(name)
            layout.append(self._layout_for(name))
        self.answer_names = []
        answers = self._answers()
        for question in section.questions.all():
            answer = answers.get(question.pk)
            if question.kind == QuestionKind.LONG_TEXT:
                name = answer_key(question.pk)
                self.fields[name] = forms.CharField(
                    label=question.text,
                    max_length=limits.NARRATIVE,
                    help_text=question.help_text,
                    required=False,
                    strip=False,
                    widget=forms.Textarea(attrs={"rows": 6, "data-autosave": "true"}),
                )
                self.initial[name] = answer.text if answer else ""
                layout.append(Field.textarea(name, rows=6))
            else:
                name = answer_key(question.pk, "choice")
                self.fields[name] = forms.ChoiceField(
                    label=question.text,
                    help_text=question.help_text,
                    required=False,
                    choices=question.options,
                    widget=forms.RadioSelect,
                )
                self.initial[name] = answer.choice if answer else ""
                layout.append(Field.radios(name))
            self.answer_names.append(name)
        for name in [*self.visit_field_names, *self.answer_names]:
            self.fields[name + BASE_SUFFIX] = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
            self.initial[name + BASE_SUFFIX] = self._base_initial(name)
            layout.append(Field(name + BASE_SUFFIX))
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)
        if self.is_bound:
            self.data = self._apply_choices(self.data)

    def _answers(self) -> dict:
        return {a.question_id: a for a in self.visit.answers.all()}

    def _visit_field(self, name, plan):
        if name in plan:
            field = plan[name]
            if name == "visit_date":
                field.validators.append(_not_future)
            return field
        if name == "setting":
            field = forms.ModelChoiceField(
                queryset=self.visit.provider.settings.filter(is_archived=False),
                required=False,
                empty_label="The provider as a whole",
            )
            return field
        if name == "young_people_met":
            field = forms.ModelMultipleChoiceField(
                label="Young people met",
                queryset=young_people_placed(self.visit),
                widget=forms.CheckboxSelectMultiple,
                help_text="Young people placed with this provider on the visit date. Initials only.",
            )
            field.label_from_instance = lambda p: (
                f"{p.initials}, aged {p.age_on(self.visit.date)}, {p.get_cohort_display().lower()}"
            )
            return field
        if name == "others_spoken_to":
            return forms.IntegerField(
                label="Other young people spoken to",
                min_value=0,
                max_value=100,
                help_text="Young people you met who are not placed by the authority, or not on the list",
                error_messages={"invalid": "Enter a whole number, like 2"},
                widget=NUMBER,
            )
        if name == "staff_met":
            return forms.CharField(
                label="Staff and managers met",
                max_length=limits.SUMMARY,
                widget=forms.Textarea(attrs={"rows": 3, "data-autosave": "true"}),
                strip=False,
            )
        if name == "spaces_seen":
            return forms.CharField(
                label="Rooms and spaces seen",
                max_length=limits.SUMMARY,
                widget=forms.Textarea(attrs={"rows": 4, "data-autosave": "true"}),
                strip=False,
            )
        if name == "overall_judgement":
            return forms.ChoiceField(
                label="As a corporate parent, would this be good enough for my own child?",
                choices=OverallJudgement.choices,
                widget=forms.RadioSelect,
            )
        if name == "overall_summary":
            return forms.CharField(
                label="Summary",
                max_length=limits.NARRATIVE,
                widget=forms.Textarea(attrs={"rows": 8, "data-autosave": "true"}),
                strip=False,
            )
        raise KeyError(name)

    def _layout_for(self, name):
        field = self.fields[name]
        if isinstance(field.widget, forms.CheckboxSelectMultiple):
            return Field.checkboxes(name)
        if isinstance(field.widget, forms.RadioSelect):
            return Field.radios(name)
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs.setdefault("data-autosave", "true")
            return Field.textarea(name, rows=field.widget.attrs.get("rows", 4))
        if isinstance(field, forms.ModelChoiceField):
            return Field.select(name)
        if isinstance(field, forms.IntegerField):
            return Field.text(name, field_width=2)
        return Field.text(name, field_width=Fluid.TWO_THIRDS if name not in ("planned_date", "visit_date") else None)

    def _initial(self, name):
        if name == "young_people_met":
            return list(self.visit.young_people_met.all())
        if name == "setting":
            return self.visit.setting_id
        return getattr(self.visit, name)

    def _base_initial(self, name):
        if name in self.visit_field_names:
            return serialise(self.visit, name)
        return self.initial.get(name) or ""

    def base(self, name) -> str:
        return self.data.get(name + BASE_SUFFIX, "") if self.is_bound else self._base_initial(name)

    def _apply_choices(self, data):
        """The visitor's choice after a conflict, as if they had posted it: "mine" saves their
        version over the one they were shown (that version becomes the base, so a third version
        saved since is caught again); "theirs" takes the other version and writes nothing."""
        data = data.copy()
        for name in [*self.visit_field_names, *self.answer_names]:
            choice, theirs = data.get(name + RESOLVE_SUFFIX), data.get(name + THEIRS_SUFFIX)
            if theirs is None or choice not in ("mine", "theirs"):
                continue
            data[name + BASE_SUFFIX] = theirs
            if choice == "theirs" and isinstance(self.fields[name], forms.MultipleChoiceField):
                values = [value for value in theirs.split(",") if value]
                if isinstance(data, QueryDict):
                    data.setlist(name, values)
                else:
                    data[name] = values
            elif choice == "theirs":
                data[name] = theirs
            del data[name + RESOLVE_SUFFIX]
        return data

    def posted(self, name) -> bool:
        """Whether this save is about the field at all: every field on the page posts its base."""
        return self.is_bound and name + BASE_SUFFIX in self.data

    def clean(self):
        cleaned = super().clean()
        if self.posted("planned_date") and "planned_date" not in self.errors and not cleaned.get("planned_date"):
            self.add_error("planned_date", "Enter the planned date")  # the plan always keeps a date
        return cleaned

    def changes(self) -> tuple[dict, dict]:
        """(answers, fields) for visits.services.visit_save: only fields that were posted, with
        their base, and validated."""
        cleaned = getattr(self, "cleaned_data", {})
        answers = {
            name: (self.base(name), cleaned[name] or "")
            for name in self.answer_names
            if name in cleaned and name not in self.errors and self.posted(name)
        }
        fields = {
            name: (self.base(name), cleaned[name])
            for name in self.visit_field_names
            if name in cleaned and name not in self.errors and self.posted(name)
        }
        for name in ("young_inspectors", "others_spoken_to"):
            if name in fields and fields[name][1] is None:
                fields[name] = (fields[name][0], 0)
        for name in ("how_arranged", "overall_judgement", "reason_other", "lead_visitor_role"):
            if name in fields and fields[name][1] is None:
                fields[name] = (fields[name][0], "")
        if "reasons" in fields and fields["reasons"][1] is None:
            fields["reasons"] = (fields["reasons"][0], [])
        return answers, fields

    def show_base(self, name: str, value: str) -> None:
        """After a save, the page's next save of this field starts from what was saved."""
        self.data = self.data.copy()
        self.data[name + BASE_SUFFIX] = value

    def display(self, name: str, text: str) -> str:
        """A field's value, as `serialise` writes it, in the words the page shows: the labels of
        the chosen options, or the text itself."""
        field = self.fields[name]
        if not text:
            return ""
        if isinstance(field, forms.ModelChoiceField):
            keys = text.split(",") if isinstance(field, forms.ModelMultipleChoiceField) else [text]
            found = {str(obj.pk): field.label_from_instance(obj) for obj in field.queryset.filter(pk__in=keys)}
            return "; ".join(found.get(key, key) for key in keys)
        if isinstance(field, forms.ChoiceField):
            keys = text.split(",") if isinstance(field, forms.MultipleChoiceField) else [text]
            labels = {str(value): str(label) for value, label in field.choices}
            return "; ".join(labels.get(key, key) for key in keys)
        return text

    def show_conflict(self, name: str, *, theirs: str, by: str, message: str) -> None:
        """Show both versions of a field someone else changed meanwhile: the visitor's stays in the
        field, theirs in a panel below it (id `conflict-<name>`) with the choice between them. The
        base is left as posted, so saving again without choosing is refused again."""
        self.add_error(name, message)
        panel = render_to_string(
            "visits/_conflict.html",
            {
                "name": name,
                "label": self.fields[name].label,
                "theirs": theirs,
                "theirs_display": self.display(name, theirs),
                "by": by,
                "suffixes": {"theirs": THEIRS_SUFFIX, "resolve": RESOLVE_SUFFIX},
            },
        )
        layout = self.helper.layout.fields
        index = next(i for i, item in enumerate(layout) if name in getattr(item, "fields", []))
        layout.insert(index + 1, Markup(panel))


class ReturnToDraftForm(PortalForm):
    note = forms.CharField(
        label="What needs changing",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what needs changing, so the visitor knows"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.textarea("note", rows=4), Submit("submit", "Return to draft", css_class="govuk-button--warning")
        )


class ShareForm(PortalForm):
    """The confirmation on the check page before a report is shared with its provider: it carries the
    fingerprint of what the page showed (visits.sharing.ShareCheck.fingerprint), so that a share is
    only ever what was checked. Nothing is typed."""

    checked = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
