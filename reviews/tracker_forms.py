"""Forms for the Recommendation and Impact Tracker: validation and layout only."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from providers.access import may_see_young_people
from providers.models import Concern, Placement, Provider, ProviderStatus, YoungPerson
from qa_portal import access, dates
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm, PortalModelForm
from qa_portal.intentions import Submit
from qa_portal.models import User
from qa_portal.roles import STAFF_ROLES
from qa_portal.widgets import autocomplete, depends_on
from reviews.forms import level_with_young_person, without_child_level
from reviews.models import Level, Recommendation, RecommendationStatus
from reviews.services import IMPACT_STATEMENT_NEEDED, PROGRESS_NEEDED, REASON_NEEDED

LIVE_CHOICES = [
    (RecommendationStatus.OPEN, RecommendationStatus.OPEN.label),
    (RecommendationStatus.IN_PROGRESS, RecommendationStatus.IN_PROGRESS.label),
]


def _uk_date(label: str) -> UKDateField:
    return UKDateField(label=label, within=dates.DUE)


def _helper(*fields, submit: str) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def _person(user: User) -> str:
    return f"{user.full_name}, {user.job_title}" if user.job_title else user.full_name


def staff_owners():
    """Who may own a recommendation: active council staff."""
    return User.objects.active_with_role(*STAFF_ROLES).order_by("full_name")


class ProgressForm(PortalForm):
    text = forms.CharField(
        label="What has happened since the last update?",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": PROGRESS_NEEDED},
    )
    status = forms.ChoiceField(
        label="Status after this update",
        choices=LIVE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether it is still open or now in progress"},
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("status", recommendation.status)
        self.helper = _helper(
            Field.textarea("text", rows=5),
            Field.radios("status", inline=True),
            submit="Save progress",
        )


class CompleteForm(PortalForm):
    impact_statement = forms.CharField(
        label="What difference did this make for the child or young person?",
        max_length=limits.SUMMARY,
        help_text="Say what changed for them because of this recommendation: what they can do, have or feel now.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": IMPACT_STATEMENT_NEEDED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("impact_statement", rows=6), submit="Complete the recommendation")

    def clean_impact_statement(self):
        impact = self.cleaned_data["impact_statement"].strip()
        if not impact:
            raise forms.ValidationError(IMPACT_STATEMENT_NEEDED)
        return impact


class NotAcceptedForm(PortalForm):
    not_accepted_reason = forms.CharField(
        label="Why was it not accepted?",
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": REASON_NEEDED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("not_accepted_reason", rows=5), submit="Record as not accepted")


class MeetingProgressForm(PortalForm):
    """The monthly meeting's quick entry: a note and the new status; completing needs an impact statement."""

    recommendation = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(
        label="Progress since the last meeting",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    status = forms.ChoiceField(
        label="Status now",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status now"},
    )
    impact_statement = forms.CharField(
        label="What difference did this make for the child or young person?",
        max_length=limits.SUMMARY,
        help_text="Needed to complete it: what changed for them because of this recommendation.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, recommendation: Recommendation, may_complete: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.may_complete = may_complete
        self.initial.setdefault("recommendation", recommendation.pk)
        self.initial.setdefault("status", recommendation.status)
        choices = list(LIVE_CHOICES)
        layout = [Field("recommendation"), Field.textarea("text", rows=4), Field.radios("status", inline=True)]
        if may_complete:
            choices.append((RecommendationStatus.COMPLETED, RecommendationStatus.COMPLETED.label))
            # Always shown rather than revealed under "Completed": GOV.UK's reveal sets aria-expanded on
            # a radio, which assistive technology does not expect (axe flags it).
            layout.append(Field.textarea("impact_statement", rows=4))
        else:
            del self.fields["impact_statement"]
        self.fields["status"].choices = choices
        self.helper = _helper(*layout, submit="Save and go to the next")

    @property
    def completing(self) -> bool:
        return self.cleaned_data.get("status") == RecommendationStatus.COMPLETED

    def clean(self):
        cleaned = super().clean()
        cleaned["text"] = (cleaned.get("text") or "").strip()
        cleaned["impact_statement"] = (cleaned.get("impact_statement") or "").strip()
        if self.completing:
            if not cleaned["impact_statement"]:
                self.add_error("impact_statement", IMPACT_STATEMENT_NEEDED)
        elif cleaned.get("status") and not cleaned["text"]:
            self.add_error("text", PROGRESS_NEEDED)
        return cleaned


class RecommendationCreateForm(PortalModelForm):
    """A recommendation from a concern or another source, such as a practice review."""

    due_date = _uk_date("Due date")

    class Meta:
        model = Recommendation
        fields = [
            "provider",
            "concern",
            "level",
            "young_person",
            "text",
            "owner",
            "action_holder",
            "due_date",
            "priority",
        ]
        widgets = {"level": forms.RadioSelect, "action_holder": forms.RadioSelect, "priority": forms.RadioSelect}
        labels = {
            "concern": "Concern it comes from (if any)",
            "young_person": "Young person (for a child-level recommendation)",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        provider_field = self.fields["provider"]
        provider_field.required = True
        provider_field.queryset = (
            access.visible_to(user, Provider).exclude(status=ProviderStatus.ARCHIVED).order_by("name")
        )
        provider_field.empty_label = "Choose a provider"

        concern_field = self.fields["concern"]
        concern_field.queryset = access.visible_to(user, Concern).select_related("provider").order_by("-received_on")
        concern_field.label_from_instance = lambda c: f"{c.provider.name}: {c}. {c.summary[:60]}"
        concern_field.empty_label = "Not from a concern"
        # Thousands of providers: typed into. The concerns and young people offered: the chosen
        # provider's only (clean refuses another's).
        autocomplete(provider_field)
        depends_on(concern_field, "provider", key=lambda concern: concern.provider_id)

        self.fields["level"].choices = Level.choices  # no blank radio
        if may_see_young_people(user):
            # Young people placed with a provider now, named by initials and where they live.
            placed = Placement.objects.active().filter(young_person=OuterRef("pk"))
            person_field = self.fields["young_person"]
            person_field.queryset = (
                access.visible_to(user, YoungPerson.objects.filter(Exists(placed)))
                .annotate(
                    placed_with=Subquery(placed.values("provider__name")[:1]),
                    placed_with_id=Subquery(placed.values("provider_id")[:1]),
                )
                .order_by("initials", "pk")
            )
            person_field.label_from_instance = lambda p: f"{p.initials}, aged {p.age}, placed with {p.placed_with}"
            person_field.empty_label = "Not for one young person"
            person_field.required = False
            depends_on(person_field, "provider", key=lambda person: person.placed_with_id)
        else:
            # Not every placed young person listed to a senior leader or a manager (issue 13).
            without_child_level(self)

        self.fields["owner"].queryset = staff_owners()
        self.fields["owner"].label_from_instance = _person
        self.fields["owner"].empty_label = "Choose who owns it"
        for name, message in {
            "provider": "Choose the provider",
            "level": "Choose whether this is for a child or a service",
            "text": "Write the recommendation",
            "owner": "Choose who owns this recommendation",
        }.items():
            self.fields[name].error_messages["required"] = message
        self.helper = _helper(
            Field.select("provider"),
            Field.select("concern"),
            level_with_young_person(self),
            Field.textarea("text", rows=5),
            Field.select("owner"),
            Field.radios("action_holder"),
            Field.text("due_date"),
            Field.radios("priority", inline=True),
            submit="Add the recommendation",
        )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due and due < timezone.localdate():
            raise forms.ValidationError("The due date must be today or later")
        return due

    def clean(self):
        cleaned = super().clean()
        provider, concern = cleaned.get("provider"), cleaned.get("concern")
        if provider and concern and concern.provider_id != provider.pk:
            self.add_error("concern", "Choose a concern about this provider, or none")
        person = cleaned.get("young_person")
        placed_here = Placement.objects.active().filter(young_person=person, provider=provider)
        if cleaned.get("level") == Level.CHILD and person and provider and not placed_here.exists():
            self.add_error("young_person", f"Choose a young person placed with {provider.name}")
        return cleaned


class ProviderUpdateForm(PortalForm):
    provider_action = forms.CharField(
        label="The action you will take",
        max_length=limits.SUMMARY,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you will do"},
    )
    provider_action_by = _uk_date("By when")
    note = forms.CharField(
        label="Progress update for the council (optional)",
        max_length=limits.SUMMARY,
        help_text="What you have done so far. The council's staff will see this.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, recommendation: Recommendation, **kwargs):
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation
        self.initial.setdefault("provider_action", recommendation.provider_action)
        self.initial.setdefault("provider_action_by", recommendation.provider_action_by)
        self.fields["provider_action_by"].error_messages["required"] = "Say by when you will do it"
        self.helper = _helper(
            Field.textarea("provider_action", rows=4),
            Field.text("provider_action_by"),
            Field.textarea("note", rows=4),
            submit="Send your update",
        )

    def clean_provider_action_by(self):
        by = self.cleaned_data["provider_action_by"]
        # A date already agreed may have passed; a new one must not be in the past.
        if by and by != self.recommendation.provider_action_by and by < timezone.localdate():
            raise forms.ValidationError("The date must be today or later")
        return by
