"""Forms for commissioning review meetings: schedule one, record one held, raise a recommendation
from one. Validation and layout only; reviews.meetings does the work."""

from datetime import datetime

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from providers.models import Provider
from qa_portal import access, dates
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm
from qa_portal.intentions import Submit
from qa_portal.markup import Markup
from qa_portal.widgets import autocomplete
from qa_portal.working_days import day_name, is_working_day, working_day_on_or_before
from reviews.forms import RecommendationForm
from reviews.models import COUNTED_AREAS, ComplianceArea, Rag

# GOV.UK asks for a text box with a numeric keyboard rather than type="number".
NUMBER = forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false", "class": "govuk-input--width-3"})

# Each rating is a word: colour is never the only way to tell them apart.
RAG_CHOICES = Rag.choices
RAG_GUIDANCE = (
    '<p class="govuk-body">For each area, give a RAG rating, the figures where asked, and what was agreed.</p>'
    '<ul class="govuk-list govuk-list--bullet">'
    "<li><strong>Red</strong>: not meeting the contract; action needed</li>"
    "<li><strong>Amber</strong>: partly meeting the contract; some concerns</li>"
    "<li><strong>Green</strong>: meeting the contract</li>"
    "</ul>"
    '<p class="govuk-body">Count events since the last review.</p>'
)

# What each counted area counts, as it reads in a sentence.
COUNTED_WHAT = {
    ComplianceArea.SAFEGUARDING_NOTIFICATIONS: "safeguarding notifications",
    ComplianceArea.LADO_REFERRALS: "LADO referrals",
    ComplianceArea.COMPLAINTS: "complaints",
}


def _hidden_prefix(prefix: str, label: str):
    """A label that reads "Payment: notes" to a screen reader and "Notes" on screen, under a heading
    that already names the area. crispy-forms-gds prints labels as markup, so build it escaped."""
    return format_html('<span class="govuk-visually-hidden">{}: </span>{}', prefix, label)


RULE = '<hr class="govuk-section-break govuk-section-break--m govuk-section-break--visible">'


def _in_a_sentence(label: str) -> str:
    """ "Staff training" -> "staff training", but "LADO referrals" keeps its capitals."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _subheading(text: str, *, first: bool = False):
    """An area or young person within a section: a rule above each (but the first), then an h3."""
    rule = "" if first else mark_safe(RULE)
    return Markup(format_html('{}<h3 class="govuk-heading-s">{}</h3>', rule, text))


class ErrorAnchorsMixin:
    """Error summary links (element id, message), in page order. Radios link to their first
    button, where GOV.UK says a summary link should land (crispy-forms-gds links them to no element)."""

    def error_anchors(self) -> list[tuple[str, str]]:
        first = next(iter(self.fields), "")
        anchors = [(f"id_{first}", message) for message in self.non_field_errors()]
        for name, field in self.fields.items():
            suffix = "_1" if isinstance(field.widget, forms.RadioSelect) else ""
            anchor = getattr(self[name], "anchor_id", None) or f"id_{name}{suffix}"  # a date: its first box
            anchors.extend((anchor, message) for message in self.errors.get(name, []))
        return anchors


class MeetingScheduleForm(PortalForm):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.none(), error_messages={"required": "Choose the provider"}
    )
    due_date = UKDateField(label="Due date", within=dates.DUE)
    brought_forward_because = forms.CharField(
        label="If this meeting is brought forward, why?",
        max_length=limits.REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "For example, a concern from a social worker. Leave this blank for a routine review. If the provider "
            "already has a meeting scheduled, a reason and an earlier date move that meeting forward."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = access.visible_to(user, Provider).not_archived().order_by("name")
        self.fields["provider"].empty_label = "Choose a provider"
        autocomplete(self.fields["provider"])  # thousands of providers: typed into
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("provider"),
            Field.text("due_date"),
            Field.textarea("brought_forward_because", rows=3),
            Submit("submit", "Schedule the meeting"),
        )

    def clean_due_date(self):
        """Today or later, and a working day (issue 12: a due date never falls on a weekend or bank
        holiday); the message names the working day before, which scheduling would choose."""
        due = self.cleaned_data["due_date"]
        if due and due < timezone.localdate():
            raise forms.ValidationError("The due date must be today or later")
        if due and not is_working_day(due):
            before = working_day_on_or_before(due)
            suggestion = f", for example {before:%A %-d %B %Y}" if before >= timezone.localdate() else ""
            raise forms.ValidationError(f"{due:%-d %B %Y} is {day_name(due)}: choose a working day{suggestion}")
        return due


def check_field(area: str, part: str) -> str:
    return f"check_{area}_{part}"


def outcome_field(young_person_id: int, part: str) -> str:
    return f"outcome_{young_person_id}_{part}"


class MeetingRecordForm(ErrorAnchorsMixin, PortalForm):
    """The whole record of a meeting held, on one page: when and who, what the provider said, the
    nine-area compliance checklist and the outcome for each young person placed there."""

    held_date = UKDateField(label="Date held")
    held_time = forms.TimeField(
        label="Time it started",
        input_formats=["%H:%M", "%H.%M"],
        help_text="Use the 24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the time the meeting started",
            "invalid": "Enter the time as hours and minutes on the 24-hour clock, like 14:30",
        },
    )
    attendees = forms.CharField(
        label="Who attended",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Names and roles, one a line, for the authority and the provider",
        error_messages={"required": "Enter who attended"},
    )
    provider_concerns = forms.CharField(
        label="The provider's concerns",
        max_length=limits.NARRATIVE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    provider_successes = forms.CharField(
        label="The provider's successes",
        max_length=limits.NARRATIVE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    feedback_to_authority = forms.CharField(
        label="The provider's feedback to the authority",
        max_length=limits.NARRATIVE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the provider says the authority could do better, or is doing well",
    )
    notes = forms.CharField(
        label="Any other business and notes",
        max_length=limits.NARRATIVE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, meeting, young_people, **kwargs):
        """`young_people`: reviews.preparation.PlacedYoungPerson for each young person placed there."""
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.young_people = list(young_people)
        checklist = [HTML(RAG_GUIDANCE)]
        for number, area in enumerate(ComplianceArea):
            label = area.label
            rag = check_field(area, "rag")
            self.fields[rag] = forms.ChoiceField(
                label=_hidden_prefix(label, "RAG rating"),
                choices=RAG_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose a RAG rating for {_in_a_sentence(label)}"},
            )
            parts = [_subheading(label, first=number == 0), Field.radios(rag, inline=True, small=True)]
            if area in COUNTED_AREAS:
                count = check_field(area, "count")
                what = COUNTED_WHAT[area]
                self.fields[count] = forms.IntegerField(
                    label=_hidden_prefix(label, f"Number of {what}"),
                    min_value=0,
                    max_value=9999,
                    widget=NUMBER,
                    help_text="A whole number; 0 if there were none",
                    error_messages={
                        "required": f"Enter the number of {what}, or 0 if there were none",
                        "invalid": f"Enter the number of {what} as a whole number, like 0 or 3",
                        "min_value": f"The number of {what} cannot be less than 0",
                        "max_value": f"Enter the number of {what} as a whole number under 10,000",
                    },
                )
                parts.append(Field.text(count))
            area_notes = check_field(area, "notes")
            self.fields[area_notes] = forms.CharField(
                label=_hidden_prefix(label, "Notes"),
                max_length=limits.SUMMARY,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            parts.append(Field.textarea(area_notes, rows=3))
            checklist.extend(parts)

        outcomes = []
        if self.young_people:
            outcomes.append(
                HTML(
                    '<p class="govuk-body">Young people placed with the provider around the meeting date, by '
                    "initials and age only. Leave the notes blank for anyone not discussed.</p>"
                )
            )
        else:
            outcomes.append(HTML('<p class="govuk-body">No young people are placed with this provider.</p>'))
        for number, person in enumerate(self.young_people):
            who = f"{person.initials}, aged {person.age}"
            notes_name = outcome_field(person.young_person_id, "notes")
            record_name = outcome_field(person.young_person_id, "for_case_record")
            self.fields[notes_name] = forms.CharField(
                label=_hidden_prefix(who, "Outcome notes"),
                max_length=limits.SUMMARY,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[record_name] = forms.BooleanField(
                label=format_html("Put these notes on {}'s case record", person.initials), required=False
            )
            outcomes.extend(
                [
                    _subheading(who, first=number == 0),
                    Field.textarea(notes_name, rows=3),
                    Field.checkbox(record_name, small=True),
                ]
            )

        self.helper = FormHelper()
        # Labels at body size: the area headings (h3) above them carry the weight.
        self.helper.layout = Layout(
            Fieldset(
                Field.text("held_date"),
                Field.text("held_time"),
                Field.textarea("attendees", rows=4),
                legend="When it was held and who came",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            Fieldset(
                Field.textarea("provider_concerns", rows=4),
                Field.textarea("provider_successes", rows=4),
                Field.textarea("feedback_to_authority", rows=4),
                legend="What the provider told us",
                legend_size=Size.MEDIUM,
                legend_tag="h2",
            ),
            HTML('<h2 class="govuk-heading-m app-section">Contractual compliance checklist</h2>'),
            *checklist,
            HTML('<h2 class="govuk-heading-m app-section">Outcomes for young people</h2>'),
            *outcomes,
            HTML('<h2 class="govuk-heading-m app-section">Anything else</h2>'),
            Field.textarea("notes", rows=4),
            Submit("submit", "Record the meeting"),
        )

    def clean(self):
        cleaned = super().clean()
        held_date, held_time = cleaned.get("held_date"), cleaned.get("held_time")
        now = timezone.localtime()
        if held_date and held_date > now.date():
            self.add_error("held_date", "The date held must be today or in the past")
        elif held_date and held_time and held_date == now.date() and held_time > now.time():
            self.add_error("held_time", "The time must be now or earlier: the meeting cannot be held in the future")
        for person in self.young_people:
            notes_name = outcome_field(person.young_person_id, "notes")
            record_name = outcome_field(person.young_person_id, "for_case_record")
            if cleaned.get(record_name) and not (cleaned.get(notes_name) or "").strip():
                self.add_error(notes_name, f"Write the outcome for {person.initials} to put on their case record")
        return cleaned

    def held_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.cleaned_data["held_date"], self.cleaned_data["held_time"]))

    def checks(self) -> dict[str, tuple[str, int | None, str]]:
        return {
            area: (
                self.cleaned_data[check_field(area, "rag")],
                self.cleaned_data.get(check_field(area, "count")),
                self.cleaned_data[check_field(area, "notes")],
            )
            for area in ComplianceArea
        }

    def outcomes(self) -> dict[int, tuple[str, bool]]:
        return {
            person.young_person_id: (
                self.cleaned_data[outcome_field(person.young_person_id, "notes")],
                self.cleaned_data[outcome_field(person.young_person_id, "for_case_record")],
            )
            for person in self.young_people
        }


class MeetingRecommendationForm(RecommendationForm):
    """A recommendation from a review meeting: the visit's form, pointed at the meeting."""

    def __init__(self, *args, meeting, people, on, **kwargs):
        super().__init__(*args, provider=meeting.provider, people=people, on=on, **kwargs)
        self.instance.review_meeting = meeting
