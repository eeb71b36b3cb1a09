"""The tracker on its FilterSet: filtered and sorted over more than one page, the CSV and XLSX
downloads hold exactly the recommendations shown, in the same order; bad values are explained."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import RecommendationStatus
from tests.factories import RecommendationFactory, VisitFactory
from tests.lists import csv_rows, error_next_to, every_page, table_links, xlsx_rows

pytestmark = pytest.mark.django_db

TRACKER = reverse("reviews:tracker")


@pytest.fixture
def recommendations(qa_lead, commissioning_officer, provider):
    """55 live provider-service recommendations owned by the QA lead, due on 11 different days
    (ties broken by number); and ones the filters leave out."""
    today = timezone.localdate()
    visit = VisitFactory(provider=provider)
    wanted = [
        RecommendationFactory(
            visit=visit, owner=qa_lead, level="provider_service", due_date=today + timedelta(days=n % 11)
        )
        for n in range(55)
    ]
    RecommendationFactory(visit=visit, owner=qa_lead, level="authority_service")
    RecommendationFactory(visit=visit, owner=commissioning_officer, level="provider_service")
    RecommendationFactory(
        visit=visit,
        owner=qa_lead,
        level="provider_service",
        status=RecommendationStatus.COMPLETED,
        impact_statement="JB feels safe.",
        completed_at=timezone.now(),
    )
    return wanted


def _number(link: str) -> int:
    return int(link.rstrip("/").rsplit("/", 1)[1])


def test_it_filters_and_sorts_and_the_downloads_hold_the_rows_shown(client, qa_lead, recommendations):
    client.force_login(qa_lead)
    query = {"owner": qa_lead.pk, "level": "provider_service", "sort": "-due"}
    first = client.get(TRACKER, query)
    assert "55 recommendations" in first.text
    assert len(table_links(first.text)) == 50

    shown = [_number(link) for link in every_page(client, TRACKER, query, read=table_links)]
    latest_first = sorted(recommendations, key=lambda rec: (rec.due_date, rec.pk), reverse=True)
    assert shown == [rec.pk for rec in latest_first]

    csv_export = csv_rows(client.get(reverse("reviews:tracker_export", args=["csv"]), query))
    xlsx_export = xlsx_rows(client.get(reverse("reviews:tracker_export", args=["xlsx"]), query))
    assert [int(row[0]) for row in csv_export[1:]] == shown
    assert [row[0] for row in xlsx_export[1:]] == shown


def test_the_due_column_head_sorts_soonest_first_keeping_the_filters(client, qa_lead, recommendations):
    client.force_login(qa_lead)
    html = client.get(TRACKER, {"owner": qa_lead.pk, "sort": "-due"}).text
    assert 'aria-sort="descending"' in html
    assert f"?owner={qa_lead.pk}&amp;sort=due" in html


def test_bad_values_are_explained_next_to_their_field(client, qa_lead, recommendations):
    client.force_login(qa_lead)
    query = {"status": "finished", "owner": "someone", "level": "provider_service", "sort": "backwards"}
    response = client.get(TRACKER, query)
    assert response.status_code == 200
    assert error_next_to(response.text, "status") == "Choose a status from the list"
    assert error_next_to(response.text, "owner") == "Choose an owner from the list"
    assert error_next_to(response.text, "sort") == "Choose a sort order from the list"
    # The level still applies, to the live ones, soonest due first.
    assert "56 recommendations" in response.text
    export = csv_rows(client.get(reverse("reviews:tracker_export", args=["csv"]), query))
    assert len(export) == 57
