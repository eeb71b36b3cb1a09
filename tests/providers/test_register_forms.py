"""The register's forms: adding a provider, a setting and an Ofsted inspection, and recording a concern.
Bad input gets a clear message beside the field, and what the user typed is kept."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from providers.models import OfstedInspection, Provider, Setting
from tests.factories import SettingFactory
from tests.pages import date_shown
from tests.providers.form_errors import errors_beside

pytestmark = pytest.mark.django_db


def field_error(html, message):
    return f'<span class="govuk-visually-hidden">Error:</span> {message}' in html


def test_a_commissioning_officer_adds_a_provider(client, commissioning_officer):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:provider_create"),
        {
            "name": "  Riverside   Homes ",
            "provision_types": ["childrens_home", "fostering"],
            "contract_route": "framework",
        },
    )
    provider = Provider.objects.get(name="Riverside Homes")
    assert response.url == provider.get_absolute_url()
    assert provider.provision_types == ["childrens_home", "fostering"]


def test_a_provider_needs_a_name_and_a_provision_type(client, commissioning_officer):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:provider_create"), {"name": "", "contract_route": "spot", "notes": "Keep me"}
    )
    assert field_error(response.text, "Enter the provider&#x27;s name")
    assert field_error(response.text, "Choose at least one provision type")
    assert "Keep me" in response.text
    assert response.context["form"].data["notes"] == "Keep me"


def test_a_second_provider_with_the_same_name_is_refused(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:provider_create"),
        {"name": provider.name.upper(), "provision_types": ["fostering"], "contract_route": "spot"},
    )
    assert field_error(response.text, "A provider with this name is already on the register")


def test_a_senior_leader_cannot_add_a_provider(client, senior_leader):
    client.force_login(senior_leader)
    assert client.get(reverse("providers:provider_create")).status_code == 403


def setting_data(**overrides):
    return {
        "name": "Beech House",
        "setting_type": "childrens_home",
        "urn": "sc123456",
        "postcode": "ct1 2aa",
        "local_authority": "Kent",
        "capacity": "4",
        **overrides,
    }


def test_a_setting_is_saved_with_urn_and_postcode_tidied(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(reverse("providers:setting_create", args=[provider.pk]), setting_data())
    assert response.status_code == 302
    setting = Setting.objects.get()
    assert (setting.urn, setting.postcode, setting.provider) == ("SC123456", "CT1 2AA", provider)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("urn", "AB12", "Enter the Ofsted URN as SC and 6 digits, like SC123456"),
        ("postcode", "not a postcode", "Enter a real postcode, like SW1A 1AA"),
        ("capacity", "four", "Enter the number of places as a whole number, like 4"),
        ("registration_date", "31/02/2024", "Enter a real date in the format dd/mm/yyyy, like 23/04/2024"),
        (
            "registration_date",
            (date.today() + timedelta(days=3)).strftime("%d/%m/%Y"),
            "The date must be today or in the past",
        ),
    ],
)
def test_a_bad_setting_value_is_refused_beside_its_field_and_kept(
    client, commissioning_officer, provider, field, value, message
):
    client.force_login(commissioning_officer)
    response = client.post(reverse("providers:setting_create", args=[provider.pk]), setting_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.text
    if field == "registration_date" and message.startswith("Enter a real date"):
        assert date_shown(response, field) == f"{value}//"  # not a date: shown back as typed
    elif field == "registration_date":
        day, month, year = value.split("/")
        assert date_shown(response, field) == f"{int(day)}/{int(month)}/{year}"  # in its three boxes
    else:
        assert f'value="{value}"' in response.text
    assert not Setting.objects.exists()


def test_an_oddly_spaced_postcode_is_tidied_and_saved(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:setting_create", args=[provider.pk]), setting_data(postcode="  sw1a  1aa ")
    )
    assert response.status_code == 302
    assert Setting.objects.get().postcode == "SW1A 1AA"


def test_a_long_wrong_postcode_gets_one_message(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:setting_create", args=[provider.pk]), setting_data(postcode="SW1A 1AA please")
    )
    assert errors_beside(response.text, "postcode") == ["Enter a real postcode, like SW1A 1AA"]
    assert 'value="SW1A 1AA please"' in response.text
    assert not Setting.objects.exists()


def test_two_settings_cannot_share_a_urn(client, commissioning_officer, provider):
    SettingFactory(urn="SC123456")
    client.force_login(commissioning_officer)
    response = client.post(reverse("providers:setting_create", args=[provider.pk]), setting_data())
    assert "Another setting already has this URN" in response.text


def test_an_inspection_in_the_future_is_refused(client, commissioning_officer, provider):
    setting = SettingFactory(provider=provider)
    client.force_login(commissioning_officer)
    tomorrow = (date.today() + timedelta(days=1)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("providers:inspection_create", args=[provider.pk]),
        {"scale": "four_point", "setting": setting.pk, "inspection_date": tomorrow, "judgement": "2"},
    )
    assert "The date must be today or in the past" in response.text
    assert not OfstedInspection.objects.exists()


def test_recording_an_inspection_updates_the_current_judgement(client, commissioning_officer, provider):
    setting = SettingFactory(provider=provider)
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:inspection_create", args=[provider.pk]),
        {"scale": "four_point", "setting": setting.pk, "inspection_date": "03/06/2024", "judgement": "4"},
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.judgement_label == "Inadequate"


def test_a_supported_accommodation_outcome_is_recorded_for_the_provider(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:inspection_create", args=[provider.pk]),
        {"scale": "supported_accommodation", "inspection_date": "03/06/2024", "sa_outcome": "2"},
    )
    assert response.status_code == 302
    inspection = OfstedInspection.objects.get()
    assert (inspection.setting, inspection.judgement, inspection.sa_outcome) == (None, None, 2)
    provider.refresh_from_db()
    assert provider.current_sa_outcome == 2


def test_a_four_point_inspection_needs_a_setting_and_a_judgement(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:inspection_create", args=[provider.pk]),
        {"scale": "four_point", "inspection_date": "03/06/2024"},
    )
    assert errors_beside(response.text, "setting") == ["Choose the setting that was inspected"]
    assert errors_beside(response.text, "judgement") == ["Choose the overall judgement"]
    assert not OfstedInspection.objects.exists()


def test_a_supported_accommodation_inspection_needs_an_outcome(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:inspection_create", args=[provider.pk]),
        {"scale": "supported_accommodation", "inspection_date": "03/06/2024"},
    )
    assert errors_beside(response.text, "sa_outcome") == ["Choose the outcome"]
    assert not OfstedInspection.objects.exists()


def test_the_same_inspection_cannot_be_recorded_twice(client, commissioning_officer, provider):
    setting = SettingFactory(provider=provider)
    client.force_login(commissioning_officer)
    url = reverse("providers:inspection_create", args=[provider.pk])
    data = {"scale": "four_point", "setting": setting.pk, "inspection_date": "03/06/2024", "judgement": "2"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "judgement": "3"})
    assert response.status_code == 200
    assert errors_beside(response.text, "inspection_date") == [
        "An inspection of this setting on this date is already recorded"
    ]
    assert OfstedInspection.objects.get().judgement == 2


def test_only_the_chosen_scales_answers_are_kept(client, commissioning_officer, provider):
    """The form reveals each scale's questions under it (GOV.UK's conditional reveal): a setting and a
    judgement chosen under the four-point scale, then hidden by choosing supported accommodation, are
    still posted, and dropped rather than refused in a panel the person no longer sees."""
    setting = SettingFactory(provider=provider, setting_type="supported_accommodation")
    client.force_login(commissioning_officer)
    url = reverse("providers:inspection_create", args=[provider.pk])
    page = client.get(url).text
    assert 'data-aria-controls="conditional-scale-1"' in page
    four_point_panel = page.split('id="conditional-scale-1">')[1].split('id="conditional-scale-2">')[0]
    assert 'name="setting"' in four_point_panel and 'name="judgement"' in four_point_panel
    assert 'name="sa_outcome"' not in four_point_panel
    response = client.post(
        url,
        {
            "scale": "supported_accommodation",
            "setting": setting.pk,
            "judgement": "4",
            "inspection_date": "03/06/2024",
            "sa_outcome": "1",
        },
    )
    assert response.status_code == 302
    inspection = OfstedInspection.objects.get()
    assert (inspection.setting, inspection.judgement, inspection.sa_outcome) == (None, None, 1)


def test_the_model_itself_refuses_a_supported_accommodation_outcome_for_a_setting(provider):
    inspection = OfstedInspection(
        provider=provider,
        setting=SettingFactory(provider=provider),
        scale="supported_accommodation",
        inspection_date=date(2024, 6, 3),
        sa_outcome=1,
    )
    with pytest.raises(ValidationError) as refused:
        inspection.full_clean()
    assert refused.value.message_dict["setting"] == [
        "Supported accommodation outcomes are for the provider as a whole: leave the setting blank"
    ]


def test_a_concern_is_recorded_by_a_social_worker(client, social_worker, provider):
    client.force_login(social_worker)
    response = client.post(
        reverse("providers:concern_create", args=[provider.pk]),
        {
            "source": "young_person",
            "received_on": "02/10/2025",
            "summary": "Told me they feel unsafe at night",
            "severity": "high",
        },
    )
    assert response.status_code == 302
    concern = provider.concerns.get()
    assert (concern.raised_by, concern.status) == (social_worker, "open")


def test_closing_a_concern_needs_an_outcome(client, qa_lead, provider):
    from tests.factories import ConcernFactory

    concern = ConcernFactory(provider=provider)
    client.force_login(qa_lead)
    response = client.post(
        reverse("providers:concern_edit", args=[concern.pk]),
        {
            "source": "iro",
            "received_on": "02/10/2025",
            "summary": concern.summary,
            "severity": "low",
            "status": "closed",
            "outcome": "",
        },
    )
    assert "Say what the outcome was before closing the concern" in response.text
