"""Forms of providers' action plans: validation and layout only (the steps are reviews.action_plans)."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html

from providers.models import Concern, Judgement, OfstedInspection, Provider, SupportedAccommodationOutcome
from qa_portal import dates
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm
from qa_portal.intentions import Submit
from qa_portal.layout import Reveal
from qa_portal.markup import Markup
from reviews.access import ADDRESSED_TO_PROVIDER
from reviews.models import (
    ActionPlan,
    ActionPlanSource,
    ActionStatus,
    PlanAction,
    Recommendation,
    ReviewMeeting,
    default_due,
    default_recheck,
)
from visits.models import Visit

RELOAD = "Reload the page and try again"


def _helper(*fields, submit: str, secondary: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    css = "govuk-button--secondary" if secondary else ""
    helper.layout = Layout(*fields, Submit("submit", submit, css_class=css))
    return helper


def _due_field(label: str, hint: str = "") -> UKDateField:
    return UKDateField(label=label, within=dates.DUE, help_text=hint)


class _SourceChoice(forms.ModelChoiceField):
    def __init__(self, queryset, *, label: str, describe, empty: str):
        super().__init__(queryset=queryset, required=False, label=label, empty_label=empty)
        self.describe = describe

    def label_from_instance(self, obj) -> str:
        return self.describe(obj)


class ActionPlanRequestForm(PortalForm):
    """Ask a provider for an action plan: where it comes from (one of the provider's Inadequate
    inspections, visits, review meetings or concerns), what it must address, and the due date."""

    source = forms.ChoiceField(
        label="What does the action plan follow?",
        choices=ActionPlanSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the action plan follows"},
    )
    asks = forms.CharField(
        label="What the plan must address",
        max_length=limits.SUMMARY,
        help_text="The provider reads this. Do not repeat what a concern says about a child or who raised it. "
        "Leave it blank for a sentence about the source.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    due_date = _due_field("Due by", "14 days from today unless you change it")

    def __init__(self, *args, provider: Provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.initial.setdefault("due_date", default_due())
        self.fields["due_date"].error_messages["required"] = "Enter the date the plan is due by"
        worst = OfstedInspection.objects.filter(provider=provider).filter(
            judgement=Judgement.INADEQUATE
        ) | OfstedInspection.objects.filter(provider=provider, sa_outcome=SupportedAccommodationOutcome.OUTCOME_3)
        self.fields["inspection"] = _SourceChoice(
            worst.select_related("setting").order_by("-inspection_date", "-pk"),
            label="Which inspection?",
            describe=lambda i: (
                f"{i.setting.name + ', ' if i.setting_id else ''}inspected {i.inspection_date:%-d %B %Y}"
            ),
            empty="Choose the inspection",
        )
        self.fields["visit"] = _SourceChoice(
            Visit.objects.filter(provider=provider).exclude(status="draft").order_by("-visit_date", "-pk"),
            label="Which visit?",
            describe=lambda v: f"Visit on {v.date:%-d %B %Y}",
            empty="Choose the visit",
        )
        self.fields["review_meeting"] = _SourceChoice(
            ReviewMeeting.objects.filter(provider=provider).held().order_by("-held_at", "-pk"),
            label="Which review meeting?",
            describe=lambda m: f"Review meeting held {m.day:%-d %B %Y}",
            empty="Choose the review meeting",
        )
        self.fields["concern"] = _SourceChoice(
            Concern.objects.filter(provider=provider).order_by("-received_on", "-pk"),
            label="Which concern?",
            describe=lambda c: f"Concern received {c.received_on:%-d %B %Y} ({c.get_severity_display()})",
            empty="Choose the concern",
        )
        self.helper = _helper(
            Reveal(
                "source",
                {
                    ActionPlanSource.INADEQUATE: [Field.select("inspection")],
                    ActionPlanSource.VISIT: [Field.select("visit")],
                    ActionPlanSource.REVIEW_MEETING: [Field.select("review_meeting")],
                    ActionPlanSource.CONCERN: [Field.select("concern")],
                },
            ),
            Field.textarea("asks", rows=5),
            Field.text("due_date"),
            submit="Ask for the action plan",
        )

    FIELDS = {
        ActionPlanSource.INADEQUATE: ("inspection", "inspection judged Inadequate (or outcome 3)"),
        ActionPlanSource.VISIT: ("visit", "visit"),
        ActionPlanSource.REVIEW_MEETING: ("review_meeting", "review meeting held"),
        ActionPlanSource.CONCERN: ("concern", "concern"),
    }

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError("The due date must be today or later")
        return due

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if source:
            field, words = self.FIELDS[ActionPlanSource(source)]
            # A hidden panel still posts: only the chosen source's record is kept.
            cleaned["record"] = cleaned.get(field)
            if cleaned["record"] is None and field not in self.errors:
                if not self.fields[field].queryset.exists():
                    self.add_error("source", f"{self.provider.name} has no {words} recorded")
                else:
                    self.add_error(field, f"Choose the {words}")
        return cleaned


def _loaded_at_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, required=False)


class PlanActionForm(PortalForm):
    """One action of a plan, as the provider writes it: the action, the person responsible, the
    timescale (a date), the recommendation it answers if any, and its progress. `fields` are those the
    provider may change now (reviews.action_plans.editable_fields); an action already saved carries the
    time it was loaded (`loaded_at`), so a colleague's change meanwhile is shown, not overwritten."""

    text = forms.CharField(
        label="Action",
        max_length=limits.SUMMARY,
        help_text="What you will do, specifically",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what the action is"},
    )
    responsible = forms.CharField(
        label="Person responsible",
        max_length=limits.NAME,
        help_text="Their name and role, for example Dee Grant, registered manager",
        error_messages={"required": "Enter the person responsible"},
    )
    timescale = _due_field("To be done by")
    recommendation = forms.ModelChoiceField(
        queryset=Recommendation.objects.none(),
        label="Recommendation it answers (optional)",
        required=False,
        empty_label="Not linked to a recommendation",
    )
    status = forms.ChoiceField(
        label="Progress",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how far it has got"},
    )
    loaded_at = _loaded_at_field()

    def __init__(self, *args, plan: ActionPlan, fields, action: PlanAction | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan, self.action = plan, action
        self.fields["timescale"].error_messages["required"] = "Enter the date it will be done by"
        self.fields["recommendation"].queryset = (
            Recommendation.objects.live()
            .filter(ADDRESSED_TO_PROVIDER, provider_id=plan.provider_id)
            .order_by("due_date", "pk")
        )
        self.fields["recommendation"].label_from_instance = lambda rec: f"{rec.pk}: {rec.text[:120]}"
        if action is not None:
            for name in ("text", "responsible", "timescale", "recommendation", "status"):
                self.initial.setdefault(name, getattr(action, name))
            self.initial.setdefault("loaded_at", action.updated_at.isoformat())
        else:
            self.initial.setdefault("status", ActionStatus.NOT_STARTED)
        for name in ("text", "responsible", "timescale", "recommendation", "status"):
            if name not in fields:
                del self.fields[name]
        layout = {
            "text": Field.textarea("text", rows=4),
            "responsible": Field.text("responsible"),
            "timescale": Field.text("timescale"),
            "recommendation": Field.select("recommendation"),
            "status": Field.radios("status", inline=True),
        }
        self.helper = _helper(
            *[layout[name] for name in layout if name in self.fields],
            "loaded_at",
            submit="Save the action",
        )

    def clean_timescale(self):
        timescale = self.cleaned_data["timescale"]
        # A date already agreed may have passed; a new one must not be in the past.
        unchanged = self.action is not None and timescale == self.action.timescale
        if not unchanged and timescale < timezone.localdate():
            raise forms.ValidationError("The date must be today or later")
        return timescale

    def clean_loaded_at(self):
        if self.action is None:
            return None
        value = parse_datetime(self.cleaned_data["loaded_at"] or "")
        if value is None:
            raise forms.ValidationError(RELOAD)
        return value

    def show_theirs(self, saved: PlanAction, typed: dict, message: str) -> None:
        """Someone saved the action since this page was loaded: what they saved is shown under each box
        that differs from what was typed (typed text stays in the boxes), and saving again now saves over
        theirs, which has been seen."""
        self.add_error(None, message)
        layout = self.helper.layout.fields
        for name in [n for n in ("text", "responsible", "timescale", "recommendation", "status") if n in self.fields]:
            theirs = getattr(saved, name)
            if theirs == typed.get(name):
                continue
            shown = {
                "timescale": lambda d: f"{d:%-d %B %Y}",
                "status": lambda s: ActionStatus(s).label,
                "recommendation": lambda r: f"{r.pk}: {r.text[:120]}" if r else "Not linked to a recommendation",
            }.get(name, str)(theirs)
            index = next(i for i, item in enumerate(layout) if name in getattr(item, "fields", []))
            layout.insert(
                index + 1,
                Markup(
                    format_html(
                        '<div class="govuk-inset-text" id="theirs-{}"><p class="govuk-body govuk-!-font-weight-bold '
                        'govuk-!-margin-bottom-1">Saved by {} meanwhile:</p><p class="govuk-body">{}</p></div>',
                        name,
                        saved.updated_by.full_name if saved.updated_by_id else "someone else",
                        shown,
                    )
                ),
            )


class ReturnForm(PortalForm):
    comment = forms.CharField(
        label="What needs to change",
        max_length=limits.REASON,
        help_text="The provider reads this",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what needs to change"},
    )
    due_date = _due_field("Submit again by", "14 days from today unless you change it")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("due_date", default_due())
        self.fields["due_date"].error_messages["required"] = "Enter the date it must be submitted again by"
        self.helper = _helper(
            Field.textarea("comment", rows=5), Field.text("due_date"), submit="Return it to the provider"
        )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("Say what needs to change")
        return comment

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError("The date must be today or later")
        return due


class AcceptForm(PortalForm):
    recheck_date = _due_field("Re-check on", "6 months from today unless you change it")
    comment = forms.CharField(
        label="Note for the provider (optional)",
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("recheck_date", default_recheck())
        self.fields["recheck_date"].error_messages["required"] = "Enter the date to re-check the plan on"
        self.helper = _helper(
            Field.text("recheck_date"), Field.textarea("comment", rows=3), submit="Accept the action plan"
        )

    def clean_recheck_date(self):
        day = self.cleaned_data["recheck_date"]
        if day <= timezone.localdate():
            raise forms.ValidationError("The re-check date must be after today")
        return day


class RecheckForm(PortalForm):
    comment = forms.CharField(
        label="What did the re-check find?",
        max_length=limits.REASON,
        # Shown in the plan's history, which the provider's users read too.
        help_text="Whether each action was done, and what difference it made. The provider reads this",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what the re-check found"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("comment", rows=5), submit="Record the re-check")

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("Say what the re-check found")
        return comment
