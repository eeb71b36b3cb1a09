"""The provider page's lists that grow with the provider (settings, placements, concerns, open
recommendations, recent changes) show the first few, with a link to the whole list; its settings and
active placements have pages of their own, a page at a time."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qa_portal.models import PersonalDataAccess
from tests.factories import (
    ConcernFactory,
    InspectionFactory,
    PlacementFactory,
    RecommendationFactory,
    SettingFactory,
    UserFactory,
    VisitFactory,
    YoungPersonFactory,
)

pytestmark = pytest.mark.django_db


def place(provider, count, *, first=0):
    """`count` young people placed, the first `first` placed earliest: case records 7000000 and on."""
    for n in range(first, first + count):
        PlacementFactory(
            provider=provider,
            young_person=YoungPersonFactory(initials="JB", case_record_id=f"{7000000 + n}"),
            start_date=date(2024, 1, 1) + timedelta(days=n),
        )


def people(html):
    return re.findall(r"JB \((\d+)\)", html)


def homes(html):
    """The settings named "Home number NN" the page's settings table lists, in order (each is named again
    in its Edit link; the recent changes name them too)."""
    table = html[html.index("Settings and their latest Ofsted judgements") :]
    table = table[: table.index("</table>")]
    return list(dict.fromkeys(re.findall(r"Home number (\d+)", table)))


def detail(client, provider):
    return client.get(reverse("providers:provider_detail", args=[provider.pk]))


def placements(client, provider, **params):
    return client.get(reverse("providers:provider_placements", args=[provider.pk]), params)


def test_the_provider_page_shows_the_first_20_placements_and_links_to_them_all(client, qa_lead, provider):
    place(provider, 23)
    client.force_login(qa_lead)
    response = detail(client, provider)
    assert people(response.text) == [f"{7000000 + n}" for n in range(20)]
    assert "All 23 young people placed with" in response.text
    assert reverse("providers:provider_placements", args=[provider.pk]) in response.text
    assert "23 young people are placed here now" not in response.text  # the qa lead sees the table


def test_a_provider_with_few_placements_shows_them_all_with_no_link(client, qa_lead, provider):
    place(provider, 3)
    client.force_login(qa_lead)
    response = detail(client, provider)
    assert len(people(response.text)) == 3
    assert reverse("providers:provider_placements", args=[provider.pk]) not in response.text


def test_the_placements_page_shows_50_at_a_time_longest_placed_first(client, qa_lead, provider):
    place(provider, 60)
    client.force_login(qa_lead)
    first = placements(client, provider)
    assert people(first.text) == [f"{7000000 + n}" for n in range(50)]
    assert "60 young people are placed here now" in first.text
    assert "Showing 1 to 50 of 60" in first.text
    second = placements(client, provider, page=2)
    assert people(second.text) == [f"{7000000 + n}" for n in range(50, 60)]
    assert "Showing 51 to 60 of 60" in second.text


def test_the_placements_page_is_in_the_access_log(client, qa_lead, provider):
    place(provider, 2)
    client.force_login(qa_lead)
    placements(client, provider)
    entry = PersonalDataAccess.objects.latest("at")
    assert entry.what.startswith("Active placements")
    assert len(entry.subject_ids) == 2


def test_the_placements_page_is_refused_to_those_who_may_not_see_young_people(client, senior_leader, provider):
    place(provider, 2)
    client.force_login(senior_leader)
    assert placements(client, provider).status_code == 403


def test_the_provider_page_shows_the_10_newest_concerns_and_links_to_them_all(client, qa_lead, provider):
    for n in range(12):
        ConcernFactory(provider=provider, summary=f"Concern number {n:02d}", received_on=date(2025, 1, 1 + n))
    client.force_login(qa_lead)
    response = detail(client, provider)
    assert re.findall(r"Concern number (\d+)", response.text) == [f"{n:02d}" for n in range(11, 1, -1)]
    assert "All 12 concerns about" in response.text
    assert f"{reverse('providers:concern_list')}?provider={provider.pk}" in response.text
    # The whole list, filtered to the provider, holds them all.
    whole = client.get(reverse("providers:concern_list"), {"provider": provider.pk})
    assert whole.context["page"].paginator.count == 12


def test_the_provider_page_shows_the_10_soonest_due_open_recommendations(client, qa_lead, provider):
    visit = VisitFactory(provider=provider)
    for n in range(13):
        RecommendationFactory(visit=visit, text=f"Recommendation number {n:02d}", due_date=date.today() + timedelta(n))
    client.force_login(qa_lead)
    response = detail(client, provider)
    assert re.findall(r"Recommendation number (\d+)", response.text) == [f"{n:02d}" for n in range(10)]
    assert "All 13 open recommendations for" in response.text
    assert f"{reverse('reviews:tracker')}?provider={provider.pk}" in response.text
    tracker = client.get(reverse("reviews:tracker"), {"provider": provider.pk})
    assert tracker.context["page"].paginator.count == 13


def test_the_provider_page_shows_the_first_20_settings_and_links_to_them_all(client, qa_lead, provider):
    for n in range(23):
        setting = SettingFactory(provider=provider, name=f"Home number {n:02d}")
        InspectionFactory(setting=setting, judgement=1 + n % 4, inspection_date=date(2024, 1, 1) + timedelta(n))
    SettingFactory(provider=provider, name="Old house", is_archived=True)
    client.force_login(qa_lead)
    response = detail(client, provider)
    assert homes(response.text) == [f"{n:02d}" for n in range(20)]
    assert "Archived settings:" in response.text and "Old house" in response.text
    assert f"All 23 settings of {provider.name}" in response.text
    # Each shown setting with its latest judgement.
    assert response.text.count("Full inspection, ") == 20
    whole = client.get(reverse("providers:provider_settings", args=[provider.pk]))
    assert homes(whole.text) == [f"{n:02d}" for n in range(23)]
    assert "23 settings in use" in whole.text
    assert whole.text.count("Full inspection, ") == 23
    assert "Old house" not in whole.text


def test_a_provider_with_few_settings_shows_them_all_with_no_link(client, qa_lead, provider):
    SettingFactory(provider=provider, name="Home number 01")
    client.force_login(qa_lead)
    response = detail(client, provider)
    assert homes(response.text) == ["01"]
    assert reverse("providers:provider_settings", args=[provider.pk]) not in response.text


def test_the_settings_page_shows_50_at_a_time_by_name(client, commissioning_officer, provider):
    for n in range(55):
        SettingFactory(provider=provider, name=f"Home number {n:02d}")
    client.force_login(commissioning_officer)
    url = reverse("providers:provider_settings", args=[provider.pk])
    first = client.get(url)
    assert homes(first.text) == [f"{n:02d}" for n in range(50)]
    assert "Showing 1 to 50 of 55" in first.text
    assert homes(client.get(url, {"page": 2}).text) == [f"{n:02d}" for n in range(50, 55)]


def test_the_settings_page_is_refused_to_a_provider_user(client, provider, provider_user):
    SettingFactory(provider=provider)
    client.force_login(provider_user)
    assert client.get(reverse("providers:provider_settings", args=[provider.pk])).status_code in (403, 404)


def _grow(provider, count, first):
    place(provider, count, first=first)
    visit = VisitFactory(provider=provider)
    for n in range(count):
        ConcernFactory(provider=provider, raised_by=UserFactory())
        RecommendationFactory(visit=visit)
        setting = SettingFactory(provider=provider)
        InspectionFactory(setting=setting)
        setting.capacity = n + 5  # a change in the history
        setting.save()


def _queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name", ["providers:provider_detail", "providers:provider_placements", "providers:provider_settings"]
)
def test_the_pages_run_a_fixed_number_of_queries_past_the_first_few(client, qa_lead, provider, url_name):
    client.force_login(qa_lead)
    url = reverse(url_name, args=[provider.pk])
    _grow(provider, 25, first=0)
    small = _queries(client, url)
    _grow(provider, 40, first=25)
    assert _queries(client, url) == small
