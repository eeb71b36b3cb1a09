"""The compliance overview on its FilterSet: filtered and sorted over more than one page, the CSV
and XLSX downloads hold exactly the providers shown, in the same order; bad values are explained."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Provider, ProviderStatus
from tests.factories import ProviderFactory, RecommendationFactory, VisitFactory
from tests.lists import csv_rows, error_next_to, every_page, table_links, xlsx_rows

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("reviews:compliance_overview")


@pytest.fixture
def providers():
    """55 fostering agencies in use, judged 1 to 4 in turn, the first five with overdue
    recommendations (n of them); and providers the filters leave out."""
    wanted = [
        ProviderFactory(name=f"Agency {n:02d}", provision_types=["fostering"], current_judgement=n % 4 + 1)
        for n in range(55)
    ]
    overdue = timezone.localdate() - timedelta(days=3)
    for n, provider in enumerate(wanted[:5]):
        visit = VisitFactory(provider=provider)
        for _ in range(n + 1):
            RecommendationFactory(visit=visit, due_date=overdue)
    ProviderFactory(name="Hill House", provision_types=["childrens_home"])
    ProviderFactory(name="Old Agency", provision_types=["fostering"], status=ProviderStatus.ARCHIVED)
    return wanted


def _names(client, query, providers):
    by_url = {provider.get_absolute_url(): provider.name for provider in providers}
    return [by_url[link] for link in every_page(client, OVERVIEW, query, read=table_links)]


@pytest.mark.parametrize("sort", ["judgement", "overdue_recommendations"])
def test_it_filters_and_sorts_and_the_downloads_hold_the_rows_shown(client, commissioning_officer, providers, sort):
    client.force_login(commissioning_officer)
    query = {"provision_type": "fostering", "status": "active", "sort": sort}
    first = client.get(OVERVIEW, query)
    assert "55 providers match the filters" in " ".join(first.text.split())
    assert len(table_links(first.text)) == 50

    shown = _names(client, query, providers)
    if sort == "judgement":  # worst first, then by name
        expected = sorted(providers, key=lambda p: (-p.current_judgement, p.name))
    else:  # most overdue recommendations first, then by name
        expected = providers[4::-1] + providers[5:]
    assert shown == [provider.name for provider in expected]

    csv_export = csv_rows(client.get(reverse("reviews:compliance_export", args=["csv"]), query))
    xlsx_export = xlsx_rows(client.get(reverse("reviews:compliance_export", args=["xlsx"]), query))
    assert [row[0] for row in csv_export[1:]] == shown
    assert [row[0] for row in xlsx_export[1:]] == shown


def test_bad_values_are_explained_next_to_their_field(client, commissioning_officer, providers):
    client.force_login(commissioning_officer)
    query = {"status": "archived", "judgement": "7", "provision_type": "childrens_home"}
    response = client.get(OVERVIEW, query)
    assert response.status_code == 200
    assert error_next_to(response.text, "status") == "Choose a status from the list"
    assert error_next_to(response.text, "judgement") == "Choose a judgement from the list"
    assert _names(client, query, Provider.objects.all()) == ["Hill House"]
    export = csv_rows(client.get(reverse("reviews:compliance_export", args=["csv"]), query))
    assert [row[0] for row in export[1:]] == ["Hill House"]
