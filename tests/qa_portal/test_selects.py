"""Long lists and lists that depend on another (qa_portal.widgets): providers are typed into
(accessible-autocomplete, by static/js/selects.js), and a provider's settings, concerns and young people
are offered for the chosen provider only. Without JavaScript the selects post as they are, so the forms
refuse a pair that does not match, with a message beside the field."""

import re

import pytest
from django.urls import reverse

from providers.models import Placement
from tests.factories import ConcernFactory, PlacementFactory, SettingFactory, YoungPersonFactory
from tests.providers.form_errors import errors_beside

pytestmark = pytest.mark.django_db


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S).group(0)


def _parents(select: str) -> dict[str, str]:
    """Option text -> the provider it belongs to (data-parent), for the options that have one."""
    return {
        " ".join(text.split()): parent
        for parent, text in re.findall(r'<option value="\d+" data-parent="(\d*)"[^>]*>(.*?)</option>', select, re.S)
    }


def test_planning_a_visit_offers_each_providers_settings_under_it(client, senior_leader, provider, other_provider):
    ours, theirs = SettingFactory(provider=provider, name="Harbour House"), SettingFactory(provider=other_provider)
    client.force_login(senior_leader)
    page = client.get(reverse("visits:visit_plan")).text
    assert 'data-autocomplete="true"' in _select(page, "provider")
    setting = _select(page, "setting")
    assert 'data-depends-on="provider"' in setting
    assert _parents(setting) == {
        f"{provider}: {ours.name}": str(provider.pk),
        f"{other_provider}: {theirs.name}": str(other_provider.pk),
    }


def test_a_visit_at_another_providers_setting_is_refused_beside_the_setting(
    client, senior_leader, provider, other_provider
):
    client.force_login(senior_leader)
    response = client.post(
        reverse("visits:visit_plan"),
        {"provider": provider.pk, "setting": SettingFactory(provider=other_provider).pk, "planned_date": "01/12/2026"},
    )
    assert errors_beside(response.text, "setting") == [
        "Choose one of this provider's settings, or the provider as a whole"
    ]
    assert not provider.visits.exists()


def test_a_placement_at_another_providers_setting_is_refused_beside_the_setting(
    client, commissioning_officer, provider, other_provider
):
    client.force_login(commissioning_officer)
    url = reverse("providers:placement_create", args=[YoungPersonFactory().pk])
    page = client.get(url).text
    assert 'data-autocomplete="true"' in _select(page, "provider")
    assert 'data-depends-on="provider"' in _select(page, "setting")
    response = client.post(
        url,
        {
            "provider": provider.pk,
            "setting": SettingFactory(provider=other_provider).pk,
            "start_date_day": "1",
            "start_date_month": "4",
            "start_date_year": "2024",
        },
    )
    assert errors_beside(response.text, "setting") == ["Choose one of this provider's settings"]
    assert not Placement.objects.exists()


def test_a_recommendation_offers_the_concerns_and_young_people_of_the_provider_chosen(
    client, qa_lead, provider, other_provider
):
    concern = ConcernFactory(provider=provider)
    placed = PlacementFactory(young_person=YoungPersonFactory(initials="KM"), provider=other_provider).young_person
    client.force_login(qa_lead)
    page = client.get(reverse("reviews:recommendation_create")).text
    assert 'data-autocomplete="true"' in _select(page, "provider")
    concerns = _parents(_select(page, "concern"))
    assert list(concerns.values()) == [str(provider.pk)] and str(concern.received_on.year) in next(iter(concerns))
    people = _select(page, "young_person")
    assert 'data-depends-on="provider"' in people
    assert f'data-parent="{other_provider.pk}"' in people and placed.initials in people
