"""The "safe to remain?" decision form (the response to an Inadequate judgement): validation and layout
only (the step is reviews.responses.safe_to_remain_record)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

from qa_portal import dates
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm
from qa_portal.intentions import Submit
from qa_portal.layout import Reveal
from qa_portal.markup import Markup
from reviews.models import SafeToRemain, SafeToRemainDecision

RELOAD = "Reload the page and try again"


class SafeToRemainForm(PortalForm):
    """Remain with safeguards (what), move (by when), or other (what). Carries the time the decision
    was loaded (`loaded_at`), so a colleague's decision meanwhile is shown, not overwritten."""

    answer = forms.ChoiceField(
        label="Is this young person safe to remain where they live?",
        choices=SafeToRemain.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they remain, move or something else"},
    )
    safeguards = forms.CharField(
        label="What safeguards keep them safe there?",
        max_length=limits.REASON,
        required=False,
        help_text="For example, daily contact from the social worker, an independent visitor this week",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    move_by = UKDateField(label="Move by", required=False, within=dates.DUE, help_text="For example, 27 3 2026")
    other = forms.CharField(
        label="What was decided?",
        max_length=limits.REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    loaded_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, decision: SafeToRemainDecision, **kwargs):
        super().__init__(*args, **kwargs)
        self.decision = decision
        if decision.is_recorded:
            self.initial.setdefault("answer", decision.decision)
            self.initial.setdefault("safeguards", decision.safeguards)
            self.initial.setdefault("move_by", decision.move_by)
            self.initial.setdefault("other", decision.other)
        self.initial.setdefault("loaded_at", decision.updated_at.isoformat())
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(
            Reveal(
                "answer",
                {
                    SafeToRemain.REMAIN: [Field.textarea("safeguards", rows=4)],
                    SafeToRemain.MOVE: [Field.text("move_by")],
                    SafeToRemain.OTHER: [Field.textarea("other", rows=4)],
                },
                legend_size=Size.MEDIUM,
            ),
            "loaded_at",
            Submit("submit", "Record the decision"),
        )

    def clean_move_by(self):
        move_by = self.cleaned_data.get("move_by")
        unchanged = move_by is not None and move_by == self.decision.move_by
        if move_by and not unchanged and move_by < timezone.localdate():
            raise forms.ValidationError("The date to move by must be today or later")
        return move_by

    def clean_loaded_at(self):
        value = parse_datetime(self.cleaned_data["loaded_at"] or "")
        if value is None:
            raise forms.ValidationError(RELOAD)
        return value

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("answer")
        # A hidden panel still posts: only the chosen answer's detail is checked and kept.
        blank = {
            name: not (cleaned.get(name) or "").strip() and name not in self.errors for name in ("safeguards", "other")
        }
        if answer == SafeToRemain.REMAIN and blank["safeguards"]:
            self.add_error("safeguards", "Say what safeguards keep them safe where they are")
        if answer == SafeToRemain.MOVE and not cleaned.get("move_by") and "move_by" not in self.errors:
            self.add_error("move_by", "Enter the date they will move by")
        if answer == SafeToRemain.OTHER and blank["other"]:
            self.add_error("other", "Say what was decided")
        return cleaned

    def show_theirs(self, saved: SafeToRemainDecision, message: str) -> None:
        """Someone recorded the decision since this page was loaded: theirs is shown above the question
        (what was chosen here stays chosen), and saving again now saves over it, which has been seen."""
        self.add_error(None, message)
        saver = saved.last_saved_by
        by = saver.full_name if saver else "someone else"
        self.helper.layout.fields.insert(
            0,
            Markup(
                format_html(
                    '<div class="govuk-inset-text" id="theirs"><p class="govuk-body govuk-!-font-weight-bold '
                    'govuk-!-margin-bottom-1">Recorded by {} meanwhile:</p><p class="govuk-body">{}</p></div>',
                    by,
                    saved.in_words or "No decision",
                )
            ),
        )
