"""Who may use the edit pages of the register: commissioning officers may; senior leaders and
provider users may not, even for their own organisation."""

from datetime import date

import pytest
from django.urls import reverse

from providers.models import Contact
from qa_portal.roles import Role
from tests.factories import PlacementFactory, SettingFactory, YoungPersonFactory
from tests.pages import heading, text_of

pytestmark = pytest.mark.django_db

# A senior leader may see the register but not change it; a provider user may not even know of
# a record that is not theirs (404), and may change none of their own (403).
REFUSED = pytest.mark.parametrize(
    ("user_with_role", "refusals"),
    [(Role.SENIOR_LEADER, {403}), (Role.PROVIDER_USER, {403, 404})],
    indirect=["user_with_role"],
)


@pytest.fixture
def setting(provider):
    return SettingFactory(provider=provider, name="Beech House", urn="SC123456", postcode="CT1 2AA")


@pytest.fixture
def contact(provider):
    return Contact.objects.create(provider=provider, name="Ann Lee", role="Registered manager")


@pytest.fixture
def placement(provider):
    person = YoungPersonFactory(initials="JB", case_record_id="7000001", date_of_birth=date(2010, 2, 14))
    return PlacementFactory(young_person=person, provider=provider, start_date=date(2024, 4, 1))


def setting_data(**overrides):
    return {
        "name": "Beech House",
        "setting_type": "childrens_home",
        "urn": "SC123456",
        "postcode": "CT1 2AA",
        "capacity": "5",
        **overrides,
    }


def test_a_commissioning_officer_edits_a_setting(client, commissioning_officer, setting):
    client.force_login(commissioning_officer)
    url = reverse("providers:setting_edit", args=[setting.pk])
    page = client.get(url)
    assert heading(page) == "Edit setting"
    assert "Harbour Lights Fostering" in text_of(page)
    assert 'name="name" value="Beech House"' in page.text
    response = client.post(url, setting_data(name="Beech House East"))
    assert response.status_code == 302
    setting.refresh_from_db()
    assert (setting.name, setting.capacity) == ("Beech House East", 5)


@REFUSED
def test_others_cannot_edit_a_setting(client, user_with_role, refusals, setting):
    client.force_login(user_with_role)
    url = reverse("providers:setting_edit", args=[setting.pk])
    assert client.get(url).status_code in refusals
    assert client.post(url, setting_data(name="Changed")).status_code in refusals
    setting.refresh_from_db()
    assert setting.name == "Beech House"


def test_a_commissioning_officer_adds_a_contact(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    url = reverse("providers:contact_create", args=[provider.pk])
    page = client.get(url)
    assert heading(page) == "Add a contact"
    assert "Harbour Lights Fostering" in text_of(page)
    response = client.post(url, {"name": "Ben Ode", "email": "ben@example.org", "receives_reports": "on"})
    assert response.status_code == 302
    assert provider.contacts.get().email == "ben@example.org"


@REFUSED
def test_others_cannot_add_a_contact(client, user_with_role, refusals, provider):
    client.force_login(user_with_role)
    url = reverse("providers:contact_create", args=[provider.pk])
    assert client.get(url).status_code in refusals
    assert client.post(url, {"name": "Ben Ode"}).status_code in refusals
    assert not provider.contacts.exists()


def test_a_commissioning_officer_edits_a_contact(client, commissioning_officer, contact):
    client.force_login(commissioning_officer)
    url = reverse("providers:contact_edit", args=[contact.pk])
    page = client.get(url)
    assert heading(page) == "Edit contact"
    assert 'name="name" value="Ann Lee"' in page.text
    response = client.post(url, {"name": "Ann Lee", "role": "Responsible individual"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.role == "Responsible individual"


@REFUSED
def test_others_cannot_edit_a_contact(client, user_with_role, refusals, contact):
    client.force_login(user_with_role)
    url = reverse("providers:contact_edit", args=[contact.pk])
    assert client.get(url).status_code in refusals
    assert client.post(url, {"name": "Changed"}).status_code in refusals
    contact.refresh_from_db()
    assert contact.name == "Ann Lee"


def test_a_commissioning_officer_edits_a_young_person(client, commissioning_officer, placement):
    person = placement.young_person
    client.force_login(commissioning_officer)
    url = reverse("providers:young_person_edit", args=[person.pk])
    page = client.get(url)
    assert heading(page) == "Edit young person"
    assert "JB (7000001)" in text_of(page)
    response = client.post(
        url,
        {"case_record_id": "7000001", "initials": "JB", "date_of_birth": "14/02/2010", "cohort": "care_leaver"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.cohort == "care_leaver"


@REFUSED
def test_others_cannot_edit_a_young_person(client, user_with_role, refusals, placement):
    person = placement.young_person
    client.force_login(user_with_role)
    url = reverse("providers:young_person_edit", args=[person.pk])
    assert client.get(url).status_code in refusals
    response = client.post(
        url,
        {"case_record_id": "7000001", "initials": "XX", "date_of_birth": "14/02/2010", "cohort": "care_leaver"},
    )
    assert response.status_code in refusals
    person.refresh_from_db()
    assert person.initials == "JB"


def test_a_commissioning_officer_edits_a_placement(client, commissioning_officer, placement, provider):
    client.force_login(commissioning_officer)
    url = reverse("providers:placement_edit", args=[placement.pk])
    page = client.get(url)
    assert heading(page) == "Edit placement"
    assert "JB (7000001)" in text_of(page)
    assert 'name="start_date_day" value="1"' in page.text  # GOV.UK's date input: day, month, year
    assert 'name="start_date_month" value="4"' in page.text
    assert 'name="start_date_year" value="2024"' in page.text
    response = client.post(url, {"provider": provider.pk, "start_date": "01/04/2024", "end_date": "01/10/2024"})
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.end_date == date(2024, 10, 1)


@REFUSED
def test_others_cannot_edit_a_placement(client, user_with_role, refusals, placement, provider):
    client.force_login(user_with_role)
    url = reverse("providers:placement_edit", args=[placement.pk])
    assert client.get(url).status_code in refusals
    response = client.post(url, {"provider": provider.pk, "start_date": "01/04/2024", "end_date": "01/10/2024"})
    assert response.status_code in refusals
    placement.refresh_from_db()
    assert placement.end_date is None


def test_a_provider_user_cannot_record_a_concern_about_their_own_organisation(client, provider_user, provider):
    client.force_login(provider_user)
    url = reverse("providers:concern_create", args=[provider.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"source": "other", "received_on": "02/10/2025", "summary": "Nothing to see", "severity": "low"}
    )
    assert response.status_code == 403
    assert not provider.concerns.exists()
