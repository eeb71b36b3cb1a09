"""Forms of the provider register: providers and their status, settings, Ofsted inspections,
contacts and concerns, and the provider list's filters. Validation and layout only."""

from crispy_forms_gds.layout import Field, Fieldset, Fluid
from django import forms
from django.db.models import Q

from providers.forms.layout import form_helper, required_messages
from providers.models import (
    Concern,
    ConcernStatus,
    Contact,
    InspectionEvent,
    InspectionScale,
    Judgement,
    OfstedInspection,
    Provider,
    ProviderStatus,
    ProvisionType,
    Setting,
    SupportedAccommodationOutcome,
    YoungPerson,
    normalise_postcode,
    postcode_validator,
)
from qa_portal.fields import UKDateField
from qa_portal.inputs import limits
from qa_portal.inputs.forms import PortalForm, PortalModelForm
from qa_portal.layout import Reveal


class ProviderForm(PortalModelForm):
    provision_types = forms.MultipleChoiceField(
        label="Provision types",
        choices=ProvisionType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one provision type"},
    )

    class Meta:
        model = Provider
        fields = [
            "name",
            "provision_types",
            "contract_route",
            "head_office_area",
            "high_cost",
            "new_to_authority",
            "notes",
        ]
        widgets = {"contract_route": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, {"name": "Enter the provider's name", "contract_route": "Choose the contract route"})
        self.helper = form_helper(
            Field.text("name"),
            Field.checkboxes("provision_types"),
            Field.radios("contract_route"),
            Field.text("head_office_area", field_width=Fluid.ONE_HALF),
            Fieldset(Field.checkbox("high_cost"), Field.checkbox("new_to_authority"), legend="Flags"),
            Field.textarea("notes", rows=4),
            submit="Save provider",
        )

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if Provider.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("A provider with this name is already on the register")
        return name


class ProviderStatusForm(PortalForm):
    status = forms.ChoiceField(
        label="New status",
        choices=ProviderStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the new status"},
    )
    reason = forms.CharField(
        label="Reason for the change",
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, the Ofsted judgement or decision that led to it. It is kept in the provider's history.",
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args, current_status: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current_status = current_status
        self.helper = form_helper(Field.radios("status"), Field.textarea("reason", rows=4), submit="Change status")

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == self.current_status:
            raise forms.ValidationError("Choose a status different from the current one")
        return status


class SettingForm(PortalModelForm):
    # No length limit here: clean_postcode tidies the spacing first, and anything that is still
    # not a postcode gets the one postcode message rather than a message about its length.
    postcode = forms.CharField(label="Postcode", required=False)
    registration_date = UKDateField(label="Registration date", required=False)

    class Meta:
        model = Setting
        fields = [
            "name",
            "setting_type",
            "urn",
            "address",
            "town",
            "postcode",
            "local_authority",
            "capacity",
            "registration_status",
            "registration_date",
            "is_archived",
        ]
        error_messages = {"urn": {"unique": "Another setting already has this URN"}}
        labels = {"setting_type": "Type of setting"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        required_messages(self, {"name": "Enter the setting's name", "setting_type": "Choose the type of setting"})
        # Django's blank "---------" named for what it asks.
        self.fields["setting_type"].choices = [
            ("", "Choose the type of setting"),
            *self.fields["setting_type"].choices[1:],
        ]
        self.fields["capacity"].error_messages["invalid"] = "Enter the number of places as a whole number, like 4"
        fields = [
            Field.text("name"),
            Field.select("setting_type"),
            Field.text("urn", field_width=10),
            Field.text("address"),
            Field.text("town", field_width=Fluid.ONE_HALF),
            Field.text("postcode", field_width=10),
            Field.text("local_authority", field_width=Fluid.ONE_HALF),
            Field.text("capacity", field_width=4),
            Field.text("registration_status", field_width=Fluid.ONE_HALF),
            Field.text("registration_date"),
        ]
        if self.instance.pk:
            fields.append(Field.checkbox("is_archived"))
        else:
            del self.fields["is_archived"]
        self.helper = form_helper(*fields, submit="Save setting")

    def clean_urn(self):
        urn = (self.cleaned_data.get("urn") or "").strip().upper()
        if urn and Setting.objects.filter(urn=urn).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another setting already has this URN")
        return urn

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data.get("postcode") or "")
        if postcode:
            postcode_validator(postcode)
        return postcode


class InspectionForm(PortalModelForm):
    inspection_date = UKDateField(label="Inspection date")
    publication_date = UKDateField(label="Publication date", required=False)
    # Not required here: which of the two is needed depends on the scale, which the model checks.
    judgement = forms.TypedChoiceField(
        label="Overall judgement",
        choices=Judgement.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="For a setting's inspection. A visit may have none",
    )
    # Most inspections recorded by hand are full ones; a visit (monitoring, assurance) never replaces
    # the judgement of the latest full inspection, and may have none.
    event_type = forms.TypedChoiceField(
        label="What kind of inspection",
        choices=InspectionEvent.choices,
        initial=InspectionEvent.FULL,
        empty_value=InspectionEvent.FULL,
        required=False,
        widget=forms.RadioSelect,
        help_text="Only a full inspection changes the provider's current judgement",
    )
    sa_outcome = forms.TypedChoiceField(
        label="Supported accommodation outcome",
        choices=SupportedAccommodationOutcome.choices,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text="For a supported accommodation provider's inspection",
    )

    class Meta:
        model = OfstedInspection
        fields = ["scale", "setting", "inspection_date", "publication_date", "event_type", "judgement", "sa_outcome"]
        widgets = {"scale": forms.RadioSelect}

    def __init__(self, *args, provider: Provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.provider = provider
        self.fields["setting"].queryset = provider.settings.filter(is_archived=False)
        # Asked under the four-point scale only, where clean needs one (supported accommodation
        # outcomes are the provider's as a whole).
        self.fields["setting"].empty_label = "Choose the setting"
        self.fields["setting"].required = False
        self.fields["scale"].label = "Which scale is the judgement on?"
        required_messages(self, {"scale": "Choose which scale the judgement is on"})
        # Only the chosen scale's questions: a setting's four-point judgement, or the provider's
        # supported accommodation outcome (clean drops what the other scale's hidden panel posts).
        self.helper = form_helper(
            Reveal(
                "scale",
                {
                    InspectionScale.FOUR_POINT: [Field.select("setting"), Field.radios("judgement")],
                    InspectionScale.SUPPORTED_ACCOMMODATION: [Field.radios("sa_outcome")],
                },
            ),
            Field.radios("event_type"),
            Field.text("inspection_date"),
            Field.text("publication_date"),
            submit="Save inspection",
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scale") == InspectionScale.SUPPORTED_ACCOMMODATION:
            cleaned["setting"] = cleaned["judgement"] = None
        elif cleaned.get("scale") == InspectionScale.FOUR_POINT:
            cleaned["sa_outcome"] = None
        scale, setting, inspected_on = cleaned.get("scale"), cleaned.get("setting"), cleaned.get("inspection_date")
        event_type = InspectionEvent(cleaned["event_type"]) if cleaned.get("event_type") else None
        if scale == InspectionScale.FOUR_POINT and not setting:
            self.add_error("setting", "Choose the setting that was inspected")
        elif scale and inspected_on and event_type:
            # The database allows one event of each kind a day per setting and scale, but it cannot check
            # that here: the provider is not one of the form's fields, so Django skips the constraint.
            already = (
                OfstedInspection.objects.filter(
                    provider=self.instance.provider,
                    setting=setting,
                    inspection_date=inspected_on,
                    scale=scale,
                    event_type=event_type,
                )
                .exclude(pk=self.instance.pk)
                .exists()
            )
            if already:
                inspected = "setting" if setting else "provider"
                event = "An inspection" if event_type == InspectionEvent.FULL else f"A {event_type.label.lower()}"
                self.add_error("inspection_date", f"{event} of this {inspected} on this date is already recorded")
        return cleaned


class ContactForm(PortalModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "receives_reports"]

    def __init__(self, *args, provider: Provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.provider = provider
        required_messages(self, {"name": "Enter the contact's name"})
        self.fields["email"].error_messages["invalid"] = "Enter an email address, like name@example.org"
        self.helper = form_helper(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("role", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            Field.text("phone", field_width=Fluid.ONE_THIRD),
            Field.checkbox("receives_reports"),
            submit="Save contact",
        )


class ConcernForm(PortalModelForm):
    received_on = UKDateField(label="Date received")

    class Meta:
        model = Concern
        fields = [
            "source",
            "received_on",
            "setting",
            "young_person",
            "summary",
            "severity",
            "lado_referral",
            "status",
            "outcome",
        ]
        widgets = {"source": forms.RadioSelect, "severity": forms.RadioSelect, "status": forms.RadioSelect}

    def __init__(self, *args, provider: Provider, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.provider = provider
        self.fields["setting"].queryset = provider.settings.all()
        self.fields["setting"].empty_label = "Not about one setting"
        self.fields["setting"].required = False
        fields = [Field.radios("source"), Field.text("received_on"), Field.select("setting")]
        if user.has_perm("providers.view_youngperson"):
            self.fields["young_person"].queryset = YoungPerson.objects.filter(
                Q(placements__provider=provider) | Q(pk=self.instance.young_person_id)
            ).distinct()
            self.fields["young_person"].empty_label = "Not about one young person"
            self.fields["young_person"].required = False
            fields.append(Field.select("young_person"))
        else:
            del self.fields["young_person"]
        required_messages(self, {"source": "Choose where the concern came from", "summary": "Describe the concern"})
        fields += [Field.textarea("summary", rows=6), Field.radios("severity"), Field.checkbox("lado_referral")]
        if self.instance.pk:
            fields += [Field.radios("status"), Field.textarea("outcome", rows=4)]
        else:
            del self.fields["status"]
            del self.fields["outcome"]
            self.instance.status = ConcernStatus.OPEN
        self.helper = form_helper(*fields, submit="Save concern")
