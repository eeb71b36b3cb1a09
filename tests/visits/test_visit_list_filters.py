"""The visit list on its FilterSet: filtered and sorted over more than one page (it has no
download); bad values are explained next to their field, not a 500."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ProviderFactory, UserFactory, VisitFactory
from tests.lists import error_next_to, every_page, table_links

pytestmark = pytest.mark.django_db

LIST = reverse("visits:visit_list")


@pytest.fixture
def visits(provider, other_provider, qa_lead):
    """32 draft visits to one provider planned in the financial year 2025-26, led by the QA lead; and
    visits the filters leave out (submitted, on 31 March 2025 in the year before, to another provider)."""
    wanted = [
        VisitFactory(provider=provider, lead_visitor=qa_lead, planned_date=date(2025, 4, 1) + timedelta(days=5 * n))
        for n in range(32)
    ]
    VisitFactory(provider=provider, lead_visitor=qa_lead, planned_date=date(2025, 6, 1), status="submitted")
    VisitFactory(provider=provider, lead_visitor=qa_lead, planned_date=date(2025, 3, 31))
    VisitFactory(provider=other_provider, lead_visitor=qa_lead, planned_date=date(2025, 6, 1))
    return wanted


def test_it_filters_and_sorts_over_every_page(client, qa_lead, provider, visits):
    client.force_login(qa_lead)
    query = {"year": "2025", "status": "draft", "provider": provider.pk, "visitor": qa_lead.pk, "sort": "date"}
    first = client.get(LIST, query)
    assert "32 visits" in first.text
    assert '<option value="2025" selected>2025-26</option>' in first.text
    assert len(table_links(first.text)) == 25
    shown = every_page(client, LIST, query, read=table_links)
    assert shown == [visit.get_absolute_url() for visit in visits]  # oldest first

    newest_first = every_page(client, LIST, {**query, "sort": "-date"}, read=table_links)
    assert newest_first == shown[::-1]


def test_bad_values_are_explained_next_to_their_field(client, qa_lead, provider, visits):
    client.force_login(qa_lead)
    response = client.get(LIST, {"year": "twenty", "visitor": "999999", "status": "draft", "provider": provider.pk})
    assert response.status_code == 200
    assert error_next_to(response.text, "year") == "Choose a year from the list"
    assert error_next_to(response.text, "visitor") == "Choose a lead visitor from the list"
    assert "33 visits" in response.text  # status and provider still apply


def test_a_provider_user_filters_their_own_visits_without_provider_or_visitor_choices(
    client, provider_user, provider, visits
):
    for visit in visits[:3]:
        visit.status = "shared"
        visit.save(update_fields=["status"])
    client.force_login(provider_user)
    response = client.get(LIST, {"status": "shared", "sort": "date"})
    assert table_links(response.text) == [visit.get_absolute_url() for visit in visits[:3]]
    assert 'name="provider"' not in response.text
    assert 'name="visitor"' not in response.text


def _queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, query).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", [{}, {"sort": "provider", "page": 2}])
def test_the_list_runs_a_fixed_number_of_queries_however_many_visits(client, qa_lead, query):
    def grow(count):
        for n in range(count):
            VisitFactory(
                provider=ProviderFactory(), lead_visitor=UserFactory(), planned_date=date(2025, 4, 1) + timedelta(n)
            )

    client.force_login(qa_lead)
    grow(30)
    small = _queries(client, query)
    grow(40)
    assert _queries(client, query) == small
