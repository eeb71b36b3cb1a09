"""Young people: a pseudonymised list and page for QA lead, commissioning and social workers only."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qa_portal.roles import Role
from tests.factories import PlacementFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse("providers:young_person_list")


@pytest.mark.parametrize(
    "user_with_role", [Role.QA_LEAD, Role.COMMISSIONING_OFFICER, Role.SOCIAL_WORKER], indirect=True
)
def test_the_roles_that_need_it_see_the_list(client, user_with_role):
    YoungPersonFactory(initials="JB", case_record_id="7000001")
    client.force_login(user_with_role)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "7000001" in response.text


@pytest.mark.parametrize(
    "user_with_role", [Role.SENIOR_LEADER, Role.PROVIDER_USER, Role.MANAGER, Role.ADMINISTRATOR], indirect=True
)
def test_everyone_else_is_refused_the_list_and_the_pages(client, user_with_role):
    person = YoungPersonFactory()
    client.force_login(user_with_role)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("providers:young_person_detail", args=[person.pk])).status_code == 403


def test_the_navigation_offers_young_people_only_to_those_who_may_see_them(client, senior_leader, social_worker):
    # Young people are in the providers' sub-navigation (qa_portal.navigation), on the providers' list.
    client.force_login(senior_leader)
    assert LIST not in client.get(reverse("providers:provider_list")).text
    client.force_login(social_worker)
    assert LIST in client.get(reverse("providers:provider_list")).text


def test_the_page_shows_the_placement_history(client, qa_lead, provider, other_provider):
    person = YoungPersonFactory(initials="KM")
    PlacementFactory(
        young_person=person, provider=other_provider, start_date=date(2023, 1, 5), end_date=date(2024, 2, 1)
    )
    PlacementFactory(young_person=person, provider=provider, start_date=date(2024, 2, 1))
    client.force_login(qa_lead)
    response = client.get(reverse("providers:young_person_detail", args=[person.pk]))
    assert [p.provider.name for p in response.context["placements"]] == ["Harbour Lights Fostering", "Northgate Homes"]
    assert "5 January 2023" in response.text


def test_the_list_filters_and_shows_where_each_is_placed(client, qa_lead, provider):
    placed = YoungPersonFactory(initials="AA", ehcp=True)
    PlacementFactory(young_person=placed, provider=provider)
    YoungPersonFactory(initials="BB")
    client.force_login(qa_lead)
    response = client.get(LIST, {"needs": "ehcp"})
    [row] = response.context["page"]
    assert (row.initials, row.current_provider) == ("AA", "Harbour Lights Fostering")
    assert [p.initials for p in client.get(LIST, {"placed": "yes"}).context["page"]] == ["AA"]
    assert [p.initials for p in client.get(LIST, {"q": "b.b."}).context["page"]] == ["BB"]


@pytest.mark.parametrize("params", [{}, {"sort": "placed_with"}, {"placed": "yes", "sort": "-age"}])
def test_the_list_runs_a_fixed_number_of_queries(client, qa_lead, provider, params):
    client.force_login(qa_lead)

    def grow(count):
        for _ in range(count):
            PlacementFactory(provider=provider, start_date=date.today() - timedelta(days=40))

    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            client.get(LIST, params)
        return len(captured)

    grow(2)
    small = queries(params)
    grow(20)
    assert queries(params) == small == queries({})


@pytest.mark.parametrize("sort", ["initials", "placed_with", "-age"])
def test_each_is_shown_where_they_are_placed_today_in_every_order(client, qa_lead, provider, other_provider, sort):
    today = date.today()
    moved = YoungPersonFactory(initials="MM")
    PlacementFactory(young_person=moved, provider=other_provider, start_date=today - timedelta(400), end_date=today)
    PlacementFactory(young_person=moved, provider=provider, start_date=today)
    left = YoungPersonFactory(initials="LL")
    PlacementFactory(young_person=left, provider=provider, start_date=today - timedelta(90), end_date=today)
    coming = YoungPersonFactory(initials="CC")
    PlacementFactory(young_person=coming, provider=other_provider, start_date=today + timedelta(3))
    client.force_login(qa_lead)
    response = client.get(LIST, {"sort": sort})
    shown = {row.initials: (row.current_provider, row.current_provider_id) for row in response.context["page"]}
    assert shown == {"MM": (provider.name, provider.pk), "LL": (None, None), "CC": (None, None)}
    assert f'href="{provider.get_absolute_url()}">{provider.name}</a>' in response.text
    assert other_provider.name not in response.text
    placed = client.get(LIST, {"placed": "yes", "sort": sort}).context["page"]
    assert [row.initials for row in placed] == ["MM"]
