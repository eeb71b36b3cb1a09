"""Bad input gets a clear message beside the field, and what the user typed is kept."""

from datetime import date, timedelta

import pytest
from django.db import IntegrityError
from django.urls import reverse

from providers.models import OfstedInspection, Placement, Provider, Setting, YoungPerson
from tests.factories import PlacementFactory, ProviderFactory, SettingFactory, YoungPersonFactory

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
    assert f'value="{value}"' in response.text
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
    assert "Choose the setting that was inspected" in response.text
    assert "Choose the overall judgement" in response.text


def young_person_data(**overrides):
    return {
        "case_record_id": "1234567",
        "initials": "j.b.",
        "date_of_birth": "14/02/2009",
        "cohort": "child_in_care",
        **overrides,
    }


def test_a_young_person_is_added_with_initials_tidied(client, commissioning_officer):
    client.force_login(commissioning_officer)
    response = client.post(reverse("providers:young_person_create"), young_person_data())
    person = YoungPerson.objects.get()
    assert response.url == person.get_absolute_url()
    assert person.initials == "JB"


def test_one_case_record_id_per_young_person(client, commissioning_officer):
    YoungPersonFactory(case_record_id="1234567")
    client.force_login(commissioning_officer)
    response = client.post(reverse("providers:young_person_create"), young_person_data())
    assert "A young person with this case-record ID is already recorded" in response.text
    assert YoungPerson.objects.count() == 1


def test_names_are_refused_as_initials(client, commissioning_officer):
    client.force_login(commissioning_officer)
    response = client.post(reverse("providers:young_person_create"), young_person_data(initials="J9"))
    assert "Enter initials only" in response.text


def test_a_placement_cannot_end_before_it_starts(client, commissioning_officer, provider):
    person = YoungPersonFactory()
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_create", args=[person.pk]),
        {"provider": provider.pk, "start_date": "10/03/2025", "end_date": "01/03/2025"},
    )
    assert "The end date must be on or after the start date" in response.text
    assert 'value="01/03/2025"' in response.text
    assert not Placement.objects.exists()


def test_two_placements_for_one_young_person_cannot_overlap(client, commissioning_officer, provider, other_provider):
    person = YoungPersonFactory(initials="KM")
    PlacementFactory(
        young_person=person, provider=other_provider, start_date=date(2024, 4, 1), end_date=date(2024, 9, 1)
    )
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_create", args=[person.pk]), {"provider": provider.pk, "start_date": "01/08/2024"}
    )
    assert "KM is already placed with Northgate Homes from 01/04/2024 to 01/09/2024" in response.text
    assert Placement.objects.count() == 1


def test_a_move_on_the_day_the_last_placement_ended_is_allowed(client, commissioning_officer, provider, other_provider):
    person = YoungPersonFactory()
    PlacementFactory(
        young_person=person, provider=other_provider, start_date=date(2024, 4, 1), end_date=date(2024, 9, 1)
    )
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_create", args=[person.pk]), {"provider": provider.pk, "start_date": "01/09/2024"}
    )
    assert response.status_code == 302
    assert Placement.objects.count() == 2


def test_the_database_itself_refuses_overlapping_placements(provider):
    person = YoungPersonFactory()
    PlacementFactory(young_person=person, provider=provider, start_date=date(2024, 4, 1))
    with pytest.raises(IntegrityError):
        Placement.objects.create(young_person=person, provider=ProviderFactory(), start_date=date(2024, 5, 1))


def test_a_placement_setting_must_belong_to_the_provider(client, commissioning_officer, provider):
    elsewhere = SettingFactory()
    person = YoungPersonFactory()
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_create", args=[person.pk]),
        {"provider": provider.pk, "setting": elsewhere.pk, "start_date": "01/09/2024"},
    )
    assert "Choose one of this provider&#x27;s settings" in response.text


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
