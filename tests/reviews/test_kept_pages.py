"""The tracker, the compliance overview, review preparation and the provider page's recent changes are
worked out once and kept (qa_portal.table_versions) while nothing they were read from changes: each
shows a change at its next opening, however it was made. Committed for real (transactional tests), as
in production; inside a test's transaction nothing would be kept."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from providers.models import Provider
from reviews.models import Recommendation
from tests.factories import RecommendationFactory, VisitFactory

pytestmark = pytest.mark.django_db(transaction=True)


def opened_twice(client, url) -> str:
    """The page's text, opened twice: the second time from what was kept (fewer queries)."""
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as kept:
        text = client.get(url).text
    assert len(kept) < len(first)
    return text


def test_a_recommendation_raised_or_reworded_is_on_the_tracker_at_once(client, qa_lead, provider):
    RecommendationFactory(visit=VisitFactory(provider=provider), text="Fit a smoke alarm in the annexe.")
    client.force_login(qa_lead)
    page = opened_twice(client, reverse("reviews:tracker"))
    assert "Fit a smoke alarm in the annexe." in page

    RecommendationFactory(visit=VisitFactory(provider=provider), text="Review the house rules with residents.")
    assert "Review the house rules with residents." in client.get(reverse("reviews:tracker")).text
    Recommendation.objects.filter(text__startswith="Fit").update(text="Fit two smoke alarms in the annexe.")
    page = client.get(reverse("reviews:tracker")).text
    assert "Fit two smoke alarms in the annexe." in page
    assert "Fit a smoke alarm" not in page


def open_recommendations(html: str) -> list[int]:
    """The compliance overview's "open recommendations" of each row."""
    return [int(n) for n in re.findall(r'govuk-table__cell--numeric govuk-!-padding-right-2">(\d+)</td>', html)]


def test_a_recommendation_raised_counts_on_the_compliance_overview_at_once(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    url = reverse("reviews:compliance_overview")
    assert open_recommendations(opened_twice(client, url)) == [0]
    RecommendationFactory(visit=VisitFactory(provider=provider))
    assert open_recommendations(client.get(url).text) == [1]
    # Filtered and sorted (another query string, kept apart): the same at once.
    sorted_url = url + "?sort=next_review"
    assert open_recommendations(opened_twice(client, sorted_url)) == [1]
    Recommendation.objects.all().delete()
    assert open_recommendations(client.get(sorted_url).text) == [0]


def test_a_recommendation_raised_is_in_the_review_preparation_at_once(client, commissioning_officer, meeting):
    url = reverse("reviews:meeting_prepare", args=[meeting.pk])
    client.force_login(commissioning_officer)
    assert "Agree weekend contact times with each family." not in opened_twice(client, url)
    RecommendationFactory(
        visit=VisitFactory(provider=meeting.provider), text="Agree weekend contact times with each family."
    )
    assert "Agree weekend contact times with each family." in client.get(url).text


def test_a_change_to_the_provider_is_in_its_recent_changes_at_once(client, qa_lead, provider):
    url = reverse("providers:provider_detail", args=[provider.pk])
    client.force_login(qa_lead)
    assert "Harbour Lights Family Placements" not in opened_twice(client, url)
    changed = Provider.objects.get(pk=provider.pk)
    changed.name = "Harbour Lights Family Placements"
    changed.save()
    page = client.get(url).text
    recent = page[page.index("Recent changes") : page.index("All changes to")]
    assert "Harbour Lights Family Placements" in recent
