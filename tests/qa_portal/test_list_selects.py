"""The long choice lists of the list pages' filters (qa_portal.lists, qa_portal.widgets.Select): every
provider and person a list can be narrowed to, written without a template per option. They are typed
into where JavaScript runs (accessible-autocomplete; tests/browser/test_tracker.py); without it they
are plain selects that send the chosen record, and the page says which one is chosen."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qa_portal.widgets import Select
from tests.factories import ProviderFactory, RecommendationFactory, UserFactory, VisitFactory

pytestmark = pytest.mark.django_db

TRACKER = reverse("reviews:tracker")
VISITS = reverse("visits:visit_list")


def _select(html: str, name: str) -> str:
    return re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S).group(0)


def _options(select: str) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of each option, as a browser without JavaScript shows them."""
    return [
        (value, text, bool(selected))
        for value, selected, text in re.findall(r'<option value="([^"]*)"( selected)?>(.*?)</option>', select)
    ]


def test_a_select_is_written_as_djangos_template_writes_it():
    choices = [("", "Any"), (1, "Tom & Jerry's <Homes>"), (2, "Brook")]
    attrs = {"class": "govuk-select", "data-autocomplete": "true", "disabled": False, "required": True}
    for value in ("1", None, "9"):
        expected = forms.Select(attrs, choices).render("provider", value, attrs={"id": "id_provider"})
        assert Select(attrs, choices=choices).render("provider", value, attrs={"id": "id_provider"}) == expected


def test_the_tracker_offers_every_provider_and_owner_to_type_into_and_marks_the_one_chosen(client, qa_lead):
    ours = ProviderFactory(name="Tom & Jerry's Homes")
    other = ProviderFactory(name="Brook Care")
    owner = UserFactory(full_name="Amara O'Neill")
    RecommendationFactory(visit=VisitFactory(provider=ours), owner=owner, text="Fix the rota")
    RecommendationFactory(visit=VisitFactory(provider=other), owner=qa_lead, text="Mend the gate")
    client.force_login(qa_lead)

    page = client.get(TRACKER, {"provider": ours.pk}).text
    providers = _select(page, "provider")
    assert 'data-autocomplete="true"' in providers
    assert _options(providers) == [
        ("", "All providers", False),
        (str(other.pk), "Brook Care", False),
        (str(ours.pk), "Tom &amp; Jerry&#x27;s Homes", True),
    ]
    owners = _select(page, "owner")
    assert 'data-autocomplete="true"' in owners
    assert [text for _, text, _ in _options(owners)] == ["Anyone", "Amara O&#x27;Neill", qa_lead.full_name]
    # What the select sends narrows the list, as it did before it could be typed into.
    assert "Fix the rota" in page and "Mend the gate" not in page
    page = client.get(TRACKER, {"owner": qa_lead.pk}).text
    assert "Mend the gate" in page and "Fix the rota" not in page
    assert (str(qa_lead.pk), qa_lead.full_name, True) in _options(_select(page, "owner"))


def test_a_provider_that_is_not_in_the_list_is_refused_next_to_the_field(client, qa_lead):
    RecommendationFactory()
    client.force_login(qa_lead)
    page = client.get(TRACKER, {"provider": ProviderFactory().pk}).text
    assert "Choose a provider from the list" in page
    # None is marked chosen, so a browser shows the first: all providers.
    assert not any(selected for _, _, selected in _options(_select(page, "provider")))


@pytest.mark.parametrize("url", [TRACKER, VISITS])
def test_the_choice_lists_take_the_same_queries_however_many_providers_and_people(client, qa_lead, url):
    client.force_login(qa_lead)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def make(count):
        for _ in range(count):
            visit = VisitFactory(provider=ProviderFactory(), lead_visitor=UserFactory())
            RecommendationFactory(visit=visit, owner=UserFactory())

    make(2)
    few = queries()
    make(20)
    assert queries() == few
