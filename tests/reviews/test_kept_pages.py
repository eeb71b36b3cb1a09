"""The tracker, the compliance overview, review preparation and the provider page's recent changes are
worked out once and kept (qa_portal.table_versions) while nothing they were read from changes: each
shows a change at its next opening, however it was made. Committed for real (transactional tests), as
in production; inside a test's transaction nothing would be kept."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from providers.models import Provider
from reviews.models import Recommendation, ReviewMeeting
from reviews.to_do import review_to_do_by_time_changes
from tests.factories import RecommendationFactory, SettingFactory, VisitFactory

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


def test_a_meeting_booked_is_on_the_kept_home_page_at_once_and_listed_by_its_time(
    client, commissioning_officer, meeting
):
    """The home's meetings to do are kept until a meeting of theirs starts or comes within the days
    to prepare (review_to_do_by_time_changes), and dropped at once when a meeting is written."""
    client.force_login(commissioning_officer)
    home = reverse("home")
    assert "Book the review meeting with Harbour Lights Fostering" in opened_twice(client, home)
    now = timezone.now()
    ReviewMeeting.objects.filter(pk=meeting.pk).update(starts_at=now + timedelta(hours=3))
    page = client.get(home).text
    assert "Prepare for the review meeting with Harbour Lights Fostering" in page
    assert "Book the review meeting" not in page
    assert review_to_do_by_time_changes(commissioning_officer, now) == now + timedelta(hours=3)

    # Booked for 20 days ahead: not listed to prepare until 15 days before.
    ReviewMeeting.objects.filter(pk=meeting.pk).update(starts_at=now + timedelta(days=20))
    assert "review meeting with Harbour Lights Fostering" not in client.get(home).text
    assert review_to_do_by_time_changes(commissioning_officer, now) == now + timedelta(days=5)

    # Booked for a time past: to record.
    ReviewMeeting.objects.filter(pk=meeting.pk).update(starts_at=now - timedelta(hours=1))
    assert "Record the review meeting with Harbour Lights Fostering" in client.get(home).text
    assert review_to_do_by_time_changes(commissioning_officer, now) is None


def test_the_meeting_modes_queue_is_kept_and_a_recommendation_raised_or_completed_changes_it_at_once(
    client, qa_lead, provider
):
    first = RecommendationFactory(visit=VisitFactory(provider=provider), text="Fit a smoke alarm in the annexe.")
    client.force_login(qa_lead)
    url = reverse("reviews:tracker_meeting")
    assert "Monthly tracking meeting: 1 of 1" in opened_twice(client, url)

    RecommendationFactory(
        visit=VisitFactory(provider=provider),
        text="Review the house rules with residents.",
        due_date=first.due_date - timedelta(days=5),
    )
    page = client.get(url).text
    assert "Monthly tracking meeting: 1 of 2" in page
    assert "Review the house rules with residents." in page
    Recommendation.objects.filter(text__startswith="Review").update(
        status="completed", impact_statement="Agreed with them", completed_at=timezone.now()
    )
    page = client.get(url).text
    assert "Monthly tracking meeting: 1 of 1" in page
    assert "Fit a smoke alarm in the annexe." in page


def test_a_setting_renamed_is_in_the_providers_history_at_once(client, qa_lead, provider):
    setting = SettingFactory(provider=provider, name="Harbour House")
    url = reverse("providers:provider_history", args=[provider.pk])
    client.force_login(qa_lead)
    assert "Harbour Cottage" not in opened_twice(client, url)
    setting.name = "Harbour Cottage"
    setting.save()
    assert "Harbour Cottage" in client.get(url).text
    Provider.objects.filter(pk=provider.pk).update(name="Harbour Lights Family Placements")
    assert "Harbour Lights Family Placements" in client.get(url).text
