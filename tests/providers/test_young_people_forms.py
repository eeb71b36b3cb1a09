"""The young people's forms: adding a young person and recording their placements, which may not overlap
(a placement at a provider under a placement stop: test_placement_stop.py). Bad input gets a clear message
beside the field, and what the user typed is kept."""

from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from providers.models import Placement, Provider, ProviderStatus, YoungPerson
from tests.factories import PlacementFactory, ProviderFactory, SettingFactory, YoungPersonFactory
from tests.providers.test_placement_stop import stop

pytestmark = pytest.mark.django_db


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
    assert 'name="end_date_day" value="1"' in response.text
    assert 'name="end_date_month" value="3"' in response.text
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


def test_a_placement_at_a_stopped_provider_can_still_be_edited(client, commissioning_officer, provider):
    placement = PlacementFactory(provider=provider, start_date=date(2025, 3, 10))
    stop(provider, ProviderStatus.PLACEMENT_STOP, date(2025, 3, 1))
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("providers:placement_edit", args=[placement.pk]),
        {"provider": provider.pk, "start_date": "10/03/2025", "end_date": "20/04/2025"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.end_date == date(2025, 4, 20)


def test_a_saved_date_is_shown_in_the_boxes_it_is_typed_in(client, commissioning_officer):
    from datetime import date

    person = YoungPersonFactory(date_of_birth=date(2009, 2, 14))
    client.force_login(commissioning_officer)
    page = client.get(reverse("providers:young_person_edit", args=[person.pk])).text
    assert 'name="date_of_birth_day" value="14"' in page
    assert 'name="date_of_birth_month" value="2"' in page
    assert 'name="date_of_birth_year" value="2009"' in page
