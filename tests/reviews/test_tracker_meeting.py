"""The monthly tracking meeting: walking through the live recommendations in due order, keeping the
tracker's filters, and recording progress or completing each as the user may."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.roles import Role
from reviews.models import RecommendationStatus
from tests.factories import RecommendationFactory
from tests.pages import text_of
from tests.reviews.recommendation_pages import IMPACT_NEEDED, error_beside

pytestmark = pytest.mark.django_db

MEETING = reverse("reviews:tracker_meeting")


@pytest.fixture
def meeting(provider, qa_lead):
    """Three live recommendations, due one after the other, and one completed (not in the meeting)."""
    today = timezone.localdate()
    recs = [
        RecommendationFactory(
            text=f"Meeting item {n}", provider=provider, owner=qa_lead, due_date=today + timedelta(days=n)
        )
        for n in (1, 2, 3)
    ]
    RecommendationFactory(
        text="Already done", status="completed", impact_statement="Done", due_date=today - timedelta(days=1)
    )
    return recs


def test_the_meeting_walks_through_live_recommendations_in_due_order(client, qa_lead, meeting):
    client.force_login(qa_lead)
    first = client.get(MEETING)
    assert first.context["recommendation"] == meeting[0]
    assert "Monthly tracking meeting: 1 of 3" in first.text
    assert 'href="?at=2"' in first.text
    second = client.get(MEETING, {"at": 2})
    assert second.context["recommendation"] == meeting[1]
    assert 'href="?at=1"' in second.text
    end = client.get(MEETING, {"at": 4})
    assert "That was the last recommendation" in end.text


def test_saving_progress_in_the_meeting_moves_to_the_next(client, qa_lead, meeting):
    client.force_login(qa_lead)
    response = client.post(
        f"{MEETING}?at=1", {"recommendation": meeting[0].pk, "text": "Started", "status": "in_progress"}
    )
    assert response.status_code == 302
    assert response.url == f"{MEETING}?at=2"
    page = client.get(response.url)
    assert page.context["recommendation"] == meeting[1]
    assert f"Progress saved on recommendation {meeting[0].pk}" in page.text
    meeting[0].refresh_from_db()
    assert meeting[0].status == RecommendationStatus.IN_PROGRESS


def test_completing_in_the_meeting_needs_an_impact_statement_and_keeps_what_was_typed(client, qa_lead, meeting):
    client.force_login(qa_lead)
    data = {"recommendation": meeting[1].pk, "text": "Fence replaced last week", "status": "completed"}
    response = client.post(f"{MEETING}?at=2", data)
    assert response.status_code == 200
    page = response.text
    assert "<title>\n      \n  Error: Monthly tracking meeting" in page
    assert error_beside(page, "impact_statement") == f"Error: {IMPACT_NEEDED}"
    assert "Fence replaced last week</textarea>" in page
    meeting[1].refresh_from_db()
    assert meeting[1].status == RecommendationStatus.OPEN

    data["impact_statement"] = "The young people use the garden again."
    response = client.post(f"{MEETING}?at=2", data)
    # It has left the list, so the one that took its place comes next.
    assert response.url == f"{MEETING}?at=2"
    assert client.get(response.url).context["recommendation"] == meeting[2]
    meeting[1].refresh_from_db()
    assert meeting[1].status == RecommendationStatus.COMPLETED
    assert meeting[1].impact_statement == "The young people use the garden again."


def test_the_meeting_keeps_the_tracker_filters(client, qa_lead, meeting, other_provider):
    elsewhere = RecommendationFactory(provider=other_provider, text="Elsewhere", due_date=timezone.localdate())
    client.force_login(qa_lead)
    assert client.get(MEETING).context["recommendation"] == elsewhere
    filtered = client.get(MEETING, {"provider": meeting[0].provider_id})
    assert filtered.context["total"] == 3
    assert filtered.context["recommendation"] == meeting[0]
    response = client.post(
        f"{MEETING}?provider={meeting[0].provider_id}&at=1",
        {"recommendation": meeting[0].pk, "text": "Going well", "status": "open"},
    )
    assert response.url == f"{MEETING}?provider={meeting[0].provider_id}&at=2"


def test_in_the_meeting_a_manager_reads_but_cannot_update(client, manager, meeting):
    client.force_login(manager)
    page = client.get(MEETING)
    assert "Monthly tracking meeting: 1 of 3" in text_of(page)
    assert "Meeting item 1" in text_of(page)
    assert "You can read this recommendation but not update it." in text_of(page)
    assert "Update from this meeting" not in page.text
    response = client.post(MEETING, {"recommendation": meeting[0].pk, "text": "Sneaky", "status": "in_progress"})
    assert response.status_code == 403


def test_in_the_meeting_a_flagged_social_worker_records_progress_but_cannot_complete(client, social_worker, rec):
    client.force_login(social_worker)
    page = client.get(MEETING)
    assert page.context["recommendation"] == rec
    assert 'value="completed"' not in page.text
    data = {"recommendation": rec.pk, "text": "Met JB", "status": "completed", "impact_statement": "Better"}
    refused = client.post(f"{MEETING}?at=1", data)
    assert refused.status_code == 200
    assert error_beside(refused.text, "status").startswith("Error: Select a valid choice")
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.OPEN
    data["status"] = "in_progress"
    assert client.post(f"{MEETING}?at=1", data).status_code == 302
    rec.refresh_from_db()
    assert rec.status == RecommendationStatus.IN_PROGRESS


@pytest.mark.parametrize("user_with_role", [Role.PROVIDER_USER, Role.ADMINISTRATOR], indirect=True)
def test_the_meeting_is_for_staff(client, user_with_role, meeting):
    client.force_login(user_with_role)
    assert client.get(MEETING).status_code == 403


def test_with_nothing_live_the_meeting_says_so(client, qa_lead):
    client.force_login(qa_lead)
    assert "Nothing to go through" in client.get(MEETING).text
