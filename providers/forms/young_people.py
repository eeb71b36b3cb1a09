"""Forms for young people and their placements. Validation and layout only."""

from crispy_forms_gds.layout import HTML, Field, Fieldset
from django import forms
from django.db.models import Q
from django.utils import timezone

from providers.forms.layout import form_helper, required_messages
from providers.models import (
    NO_NEW_PLACEMENTS,
    Cohort,
    Placement,
    PlacementEnding,
    PlacementStop,
    Provider,
    ProviderStatus,
    Setting,
    YoungPerson,
)
from qa_portal.fields import UKDateField
from qa_portal.inputs.forms import PortalModelForm
from qa_portal.models import User
from qa_portal.roles import Role
from qa_portal.widgets import autocomplete, depends_on


class YoungPersonForm(PortalModelForm):
    """A young person, added or corrected. The case-record ID is theirs alone, leading zeros ignored
    (`case_record_key`: Excel drops them, so 12345 is 0012345); the date of birth has a 4-digit year
    (`UKDateField`) and an age the cohort allows on the day it is recorded
    (`YoungPerson.age_for_cohort_problem`, the rule the placements import follows too)."""

    date_of_birth = UKDateField(label="Date of birth", help_text="For example, 14 2 2010")

    class Meta:
        model = YoungPerson
        fields = ["case_record_id", "initials", "date_of_birth", "cohort", "ehcp", "send", "uasc", "social_worker"]
        widgets = {"cohort": forms.RadioSelect}
        error_messages = {"case_record_id": {"unique": "A young person with this case-record ID is already recorded"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(
            self,
            {
                "case_record_id": "Enter the case-record ID",
                "initials": "Enter the young person's initials",
                "cohort": "Choose child in care or care leaver",
            },
        )
        self.fields["cohort"].choices = Cohort.choices  # no blank "---------" radio
        self.fields["social_worker"].queryset = User.objects.active_with_role(Role.SOCIAL_WORKER).order_by("full_name")
        self.fields["social_worker"].label_from_instance = lambda user: user.full_name
        self.fields["social_worker"].empty_label = "Not allocated"
        self.helper = form_helper(
            Field.text("case_record_id", field_width=10),
            Field.text("initials", field_width=4),
            Field.text("date_of_birth"),
            Field.radios("cohort"),
            Fieldset(Field.checkbox("ehcp"), Field.checkbox("send"), Field.checkbox("uasc"), legend="Needs"),
            Field.select("social_worker"),
            submit="Save young person",
        )

    def clean_initials(self):
        return (self.cleaned_data.get("initials") or "").replace(".", "").replace(" ", "").upper()

    def clean_case_record_id(self):
        case_record_id = (self.cleaned_data.get("case_record_id") or "").strip()
        held = YoungPerson.objects.with_case_record_id(case_record_id).exclude(pk=self.instance.pk).first()
        if held is None:
            return case_record_id
        if held.case_record_id == case_record_id:
            raise forms.ValidationError(f"A young person with this case-record ID is already recorded: {held}")
        raise forms.ValidationError(
            f"A young person with this case-record ID is already recorded as {held.case_record_id}: {held}. "
            "Leading zeros do not make a different ID"
        )

    def clean(self):
        cleaned = super().clean()
        problem = YoungPerson.age_for_cohort_problem(
            cleaned.get("date_of_birth"), cleaned.get("cohort"), on=timezone.localdate()
        )
        if problem:
            self.add_error("date_of_birth", problem)
        return cleaned


class PlacementForm(PortalModelForm):
    """A placement of `young_person`, recorded or corrected by `user`.

    A placement with a provider under a placement stop (or marked not to be used), whatever its dates,
    is recorded only with a confirmation and a reason from someone who may give it (a QA lead or a
    commissioning officer: `providers.confirm_placement_despite_stop`). The two fields that ask for it
    are added only when the provider chosen is under a stop; anyone else is told who can record it.
    A placement already recorded there can be corrected or ended without asking again."""

    start_date = UKDateField(label="Start date")
    end_date = UKDateField(
        label="End date", required=False, help_text="The day they left. Leave blank if they still live there."
    )

    ending = forms.ChoiceField(
        label="How the placement ended",
        choices=[("", "Not ended, or not known"), *PlacementEnding.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="Unplanned: a breakdown, a notice to leave or a move in a crisis.",
    )

    class Meta:
        model = Placement
        fields = ["provider", "setting", "start_date", "end_date", "ending", "high_cost"]

    def __init__(self, *args, young_person: YoungPerson, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.young_person = young_person
        self.user = user
        self.may_confirm = user.has_perm("providers.confirm_placement_despite_stop")
        self._stops: dict[int, PlacementStop | None] = {}
        self.stop: PlacementStop | None = None  # the stop confirmed, once the form is valid
        # Archived providers and settings take no new placements, but a placement already there stays editable.
        self.fields["provider"].queryset = Provider.objects.filter(
            ~Q(status=ProviderStatus.ARCHIVED) | Q(pk=self.instance.provider_id)
        )
        self.fields["provider"].label_from_instance = _provider_option
        self.fields["setting"].queryset = Setting.objects.select_related("provider").filter(
            Q(is_archived=False) | Q(pk=self.instance.setting_id)
        )
        self.fields["setting"].label_from_instance = lambda s: f"{s.provider}: {s.name}"
        self.fields["setting"].empty_label = "Not known"
        self.fields["setting"].required = False
        # Thousands of providers: typed into. Their settings: only the chosen provider's (Placement.clean
        # refuses another's).
        self.fields["provider"].empty_label = "Choose a provider"
        autocomplete(self.fields["provider"])
        depends_on(self.fields["setting"], "provider", key=lambda setting: setting.provider_id)
        required_messages(self, {"provider": "Choose the provider"})
        confirmation = []
        self.stop_notice = self.stop_needing_confirmation(self._posted_provider())
        if self.stop_notice is not None and self.may_confirm:
            self.fields["confirm_despite_stop"] = forms.BooleanField(
                label="I confirm this placement despite the placement stop", required=False
            )
            self.fields["stop_reason"] = forms.CharField(
                label="Why is this placement confirmed despite the placement stop?",
                help_text="Shown on the provider's and the young person's pages and kept in the change history.",
                widget=forms.Textarea,
                required=False,
            )
            confirmation = [
                Fieldset(
                    HTML('{% include "providers/_placement_stop_warning.html" %}'),
                    Field.checkbox("confirm_despite_stop"),
                    Field.textarea("stop_reason", rows=3),
                    legend="Placement stop",
                )
            ]
        self.helper = form_helper(
            Field.select("provider"),
            *confirmation,
            Field.select("setting"),
            Field.text("start_date"),
            Field.text("end_date"),
            Field.radios("ending"),
            Field.checkbox("high_cost"),
            submit="Save placement",
        )

    def _posted_provider(self) -> Provider | None:
        if not self.is_bound:
            return None
        try:
            pk = int(self.data.get(self.add_prefix("provider")) or "")
        except (TypeError, ValueError):
            return None
        return self.fields["provider"].queryset.filter(pk=pk).first()

    def stop_needing_confirmation(self, provider: Provider | None) -> PlacementStop | None:
        """The stop `provider` is under, if recording this placement there needs a confirmation: a new
        placement, or one moved there from another provider."""
        if provider is None or (self.instance.pk is not None and provider.pk == self.instance.provider_id):
            return None
        if provider.pk not in self._stops:
            self._stops[provider.pk] = provider.placement_stop()
        return self._stops[provider.pk]

    def clean(self):
        cleaned = super().clean()
        self.stop = stop = self.stop_needing_confirmation(cleaned.get("provider"))
        if stop is None:
            return cleaned
        if not self.may_confirm:
            self.add_error(
                "provider",
                f"{stop}. Only a QA lead or a commissioning officer can confirm a placement there: "
                "ask one of them to record it",
            )
        elif not cleaned.get("confirm_despite_stop"):
            self.add_error(
                "confirm_despite_stop",
                f"{stop}. Confirm this placement despite the placement stop, or choose another provider",
            )
        elif not (cleaned.get("stop_reason") or "").strip():
            self.add_error("stop_reason", "Enter why this placement is confirmed despite the placement stop")
        return cleaned

    def save(self, commit=True):
        """The placement, with the confirmation recorded on it if one was needed (see the class)."""
        if self.stop is not None:
            self.instance.confirm_despite_stop(stop=self.stop, by=self.user, reason=self.cleaned_data["stop_reason"])
        elif "provider" in self.changed_data and self.instance.stop_confirmed_at:
            # Moved to a provider that takes placements: the confirmation was about the other one.
            self.instance.stop_confirmed_by, self.instance.stop_confirmed_at, self.instance.stop_reason = None, None, ""
        return super().save(commit)


def _provider_option(provider: Provider) -> str:
    """A provider in the list, with any stop on new placements beside its name."""
    if provider.status in NO_NEW_PLACEMENTS:
        return f"{provider} ({provider.get_status_display().lower()})"
    return str(provider)
