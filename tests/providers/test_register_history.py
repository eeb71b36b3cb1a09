"""Commissioning officers see the history of the register they keep (issue 11): who changed what on a
provider, its settings, contacts, inspections, placements and concerns, linked from the provider page;
and on a young person's page."""

import re
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import ConcernFactory, InspectionFactory, PlacementFactory, SettingFactory, YoungPersonFactory
from tests.providers.test_import_pages import text_of

pytestmark = pytest.mark.django_db


def changed_by(record, user, **values):
    """Change `record` as `user` would through a page: the change history names them."""
    for name, value in values.items():
        setattr(record, name, value)
    record._history_user = user
    record.save()


@pytest.fixture
def register(provider, qa_lead, commissioning_officer):
    """A provider whose records were each changed by someone."""
    home = SettingFactory(provider=provider, name="Willow House")
    changed_by(home, commissioning_officer, capacity=6)
    inspection = InspectionFactory(setting=home, judgement=3, inspection_date=date(2024, 6, 3))
    changed_by(inspection, commissioning_officer, judgement=2)
    placement = PlacementFactory(
        provider=provider,
        setting=home,
        start_date=date(2024, 9, 3),
        young_person=YoungPersonFactory(initials="JB", case_record_id="7000001"),
    )
    changed_by(placement, commissioning_officer, end_date=date(2025, 1, 31))
    concern = ConcernFactory(provider=provider, summary="Missing from home twice in a month")
    changed_by(concern, qa_lead, outcome="Strategy meeting held; safety plan agreed")
    contact = provider.contacts.create(name="Dana Reed", role="Registered manager")
    changed_by(contact, commissioning_officer, role="Responsible individual")
    return provider


def test_a_commissioning_officer_opens_the_registers_history_from_the_provider_page(
    client, commissioning_officer, social_worker, manager, register
):
    history_url = reverse("providers:provider_history", args=[register.pk])
    for outsider in (social_worker, manager):  # they see the register but do not keep it
        client.force_login(outsider)
        assert client.get(history_url).status_code == 403
        assert "Recent changes" not in client.get(reverse("providers:provider_detail", args=[register.pk])).text

    client.force_login(commissioning_officer)
    provider_page = client.get(reverse("providers:provider_detail", args=[register.pk])).text
    assert "Recent changes" in provider_page
    assert f'href="{history_url}">All changes to Harbour Lights Fostering</a>' in provider_page

    response = client.get(history_url)

    assert response.status_code == 200
    text = text_of(response).replace(" :", ":")
    for who, what in [
        ("Sam Okafor", "Setting: Willow House: changed Places: 4 → 6"),
        ("Sam Okafor", "Inspection of 03/06/2024: changed Judgement: Requires improvement to be good → Good"),
        ("Sam Okafor", "Placement from 03/09/2024: changed End date: (blank) → 31/01/2025"),
        ("Laura Dennison", "Concern of"),
        ("Sam Okafor", "Contact: Dana Reed: changed Job title or role: Registered manager → Responsible individual"),
    ]:
        assert re.search(rf"{who} {re.escape(what)}", text), (who, what)
    assert "Strategy meeting held; safety plan agreed" in text


def test_a_commissioning_officer_sees_who_changed_a_young_persons_placements(client, commissioning_officer, register):
    person = register.placements.get().young_person
    client.force_login(commissioning_officer)
    text = text_of(client.get(reverse("providers:young_person_detail", args=[person.pk]))).replace(" :", ":")
    assert "Recent changes" in text
    assert "Sam Okafor Placement from 03/09/2024: changed End date: (blank) → 31/01/2025" in text
