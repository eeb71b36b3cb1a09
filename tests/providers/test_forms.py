"""Bad input gets a clear message beside the field, and what the user typed is kept."""

import html as html_lib
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from providers.models import (
    OfstedInspection,
    Placement,
    Provider,
    ProviderStatus,
    ProviderStatusChange,
    Setting,
    YoungPerson,
)
from tests.factories import PlacementFactory, ProviderFactory, SettingFactory, UserFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


def field_error(html, message):
    return f'<span class="govuk-visually-hidden">Error:</span> {message}' in html


def errors_beside(html, field):
    """The error messages shown beside one field, as the user reads them."""
    found = re.findall(
        rf'<[a-z]+ id="id_{field}_\d+_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span>(.*?)</[a-z]+>',
        html,
        re.S,
    )
    return [html_lib.unescape(" ".join(message.split())) for message in found]


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


def test_a_supported_accommodation_outcome_is_not_for_one_setting(client, commissioning_officer, provider):
    setting = SettingFactory(provider=provider, setting_type="supported_accommodation")
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:inspection_create", args=[provider.pk]),
        {"scale": "supported_accommodation", "setting": setting.pk, "inspection_date": "03/06/2024", "sa_outcome": "1"},
    )
    assert errors_beside(response.text, "setting") == [
        "Supported accommodation outcomes are for the provider as a whole: leave the setting blank"
    ]
    assert not OfstedInspection.objects.exists()


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


def test_a_placement_at_a_provider_since_archived_can_still_be_edited(client, commissioning_officer, provider):
    setting = SettingFactory(provider=provider, is_archived=True)
    placement = PlacementFactory(provider=provider, setting=setting, start_date=date(2023, 1, 9))
    Provider.objects.filter(pk=provider.pk).update(status=ProviderStatus.ARCHIVED)
    client.force_login(commissioning_officer)
    url = reverse("providers:placement_edit", args=[placement.pk])
    assert f'value="{setting.pk}" selected' in client.get(url).text
    response = client.post(
        url, {"provider": provider.pk, "setting": setting.pk, "start_date": "09/01/2023", "end_date": "30/06/2024"}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.provider, placement.setting, placement.end_date) == (provider, setting, date(2024, 6, 30))


def _stop(provider, status, on):
    """Put the provider under `status` as if it had been changed on the date `on`."""
    Provider.objects.filter(pk=provider.pk).update(status=status)
    ProviderStatusChange.objects.create(
        provider=provider,
        from_status=ProviderStatus.ACTIVE,
        to_status=status,
        reason="Inadequate judgement",
        changed_by=UserFactory(),
        changed_at=timezone.make_aware(datetime.combine(on, datetime.min.time().replace(hour=15))),
    )


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (ProviderStatus.PLACEMENT_STOP, "Harbour Lights Fostering has been under a placement stop since 01/03/2025"),
        (ProviderStatus.NOT_TO_BE_USED, "Harbour Lights Fostering has been marked not to be used since 01/03/2025"),
    ],
)
def test_no_new_placement_starts_at_a_stopped_provider(client, commissioning_officer, provider, status, message):
    _stop(provider, status, date(2025, 3, 1))
    person = YoungPersonFactory()
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_create", args=[person.pk]), {"provider": provider.pk, "start_date": "01/03/2025"}
    )
    assert errors_beside(response.text, "provider") == [f"{message}: no new placements"]
    assert not Placement.objects.exists()


def test_no_new_placement_starts_at_a_provider_stopped_without_a_recorded_date(client, commissioning_officer, provider):
    Provider.objects.filter(pk=provider.pk).update(status=ProviderStatus.PLACEMENT_STOP)
    person = YoungPersonFactory()
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_create", args=[person.pk]), {"provider": provider.pk, "start_date": "01/03/2020"}
    )
    assert errors_beside(response.text, "provider") == [
        "Harbour Lights Fostering is under a placement stop: no new placements"
    ]
    assert not Placement.objects.exists()


def test_a_placement_that_began_before_the_stop_can_still_be_recorded(client, commissioning_officer, provider):
    _stop(provider, ProviderStatus.PLACEMENT_STOP, date(2025, 3, 1))
    person = YoungPersonFactory()
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_create", args=[person.pk]), {"provider": provider.pk, "start_date": "28/02/2025"}
    )
    assert response.status_code == 302
    assert Placement.objects.get().provider == provider


def test_a_placement_at_a_stopped_provider_can_still_be_edited(client, commissioning_officer, provider):
    placement = PlacementFactory(provider=provider, start_date=date(2025, 3, 10))
    _stop(provider, ProviderStatus.PLACEMENT_STOP, date(2025, 3, 1))
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_edit", args=[placement.pk]),
        {"provider": provider.pk, "start_date": "10/03/2025", "end_date": "20/04/2025"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.end_date == date(2025, 4, 20)


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


def test_a_saved_date_is_shown_the_way_it_is_typed(client, commissioning_officer):
    from datetime import date

    person = YoungPersonFactory(date_of_birth=date(2009, 2, 14))
    client.force_login(commissioning_officer)
    assert 'value="14/02/2009"' in client.get(reverse("providers:young_person_edit", args=[person.pk])).text
