"""Forms for young people and their placements. Validation and layout only."""

from crispy_forms_gds.layout import Field, Fieldset
from django import forms
from django.db.models import Q

from providers.forms.layout import form_helper, required_messages
from providers.models import NO_NEW_PLACEMENTS, Placement, Provider, ProviderStatus, Setting, YoungPerson
from qa_portal.fields import UKDateField
from qa_portal.models import User
from qa_portal.roles import Role


class YoungPersonForm(forms.ModelForm):
    date_of_birth = UKDateField(label="Date of birth")

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
        self.fields["social_worker"].queryset = User.objects.active_with_role(Role.SOCIAL_WORKER).order_by("full_name")
        self.fields["social_worker"].label_from_instance = lambda user: user.full_name
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
        return (self.cleaned_data.get("case_record_id") or "").strip()


class PlacementForm(forms.ModelForm):
    start_date = UKDateField(label="Start date")
    end_date = UKDateField(
        label="End date", required=False, help_text="The day they left. Leave blank if they still live there."
    )

    class Meta:
        model = Placement
        fields = ["provider", "setting", "start_date", "end_date", "high_cost"]

    def __init__(self, *args, young_person: YoungPerson, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.young_person = young_person
        # Archived providers and settings take no new placements, but a placement already there stays editable.
        self.fields["provider"].queryset = Provider.objects.filter(
            ~Q(status=ProviderStatus.ARCHIVED) | Q(pk=self.instance.provider_id)
        )
        self.fields["setting"].queryset = Setting.objects.select_related("provider").filter(
            Q(is_archived=False) | Q(pk=self.instance.setting_id)
        )
        self.fields["setting"].label_from_instance = lambda s: f"{s.provider}: {s.name}"
        self.fields["setting"].empty_label = "Not known"
        self.fields["setting"].required = False
        required_messages(self, {"provider": "Choose the provider"})
        self.helper = form_helper(
            Field.select("provider"),
            Field.select("setting"),
            Field.text("start_date"),
            Field.text("end_date"),
            Field.checkbox("high_cost"),
            submit="Save placement",
        )

    def clean(self):
        cleaned = super().clean()
        provider, start = cleaned.get("provider"), cleaned.get("start_date")
        # Only new placements: one already recorded there can still be corrected or ended.
        if self.instance.pk is None and provider and start and provider.status in NO_NEW_PLACEMENTS:
            since = provider.status_since()
            if since is None:
                self.add_error("provider", f"{provider} is {provider.status_in_a_sentence}: no new placements")
            elif start >= since:
                self.add_error(
                    "provider",
                    f"{provider} has been {provider.status_in_a_sentence} since {since:%d/%m/%Y}: no new placements",
                )
        return cleaned
