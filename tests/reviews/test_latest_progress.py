"""The tracker's "latest progress" is the latest of the council's progress notes and the provider's own
answer (issue 14: it ignored the provider's update), and the progress form starts from the
recommendation's status, not "Open"."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import ProgressUpdate, RecommendationStatus
from tests.factories import RecommendationFactory, VisitFactory
from tests.reviews.test_tracker import csv_rows, table_rows
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db

TRACKER = reverse("reviews:tracker")


@pytest.fixture
def rec(provider, qa_lead):
    rec = RecommendationFactory(
        visit=VisitFactory(provider=provider, status=VisitStatus.SHARED),
        text="Agree an evening activities plan with each young person",
        owner=qa_lead,
        status=RecommendationStatus.IN_PROGRESS,
    )
    ProgressUpdate.objects.create(
        recommendation=rec, text="Raised with the manager", status_after="in_progress", by=qa_lead,
        at=timezone.now() - timedelta(days=3),
    )  # fmt: skip
    return rec


def provider_update(client, provider_user, rec, **extra):
    client.force_login(provider_user)
    by = timezone.localdate() + timedelta(days=14)
    response = client.post(
        reverse("reviews:provider_recommendation_update", args=[rec.pk]),
        {"provider_action": "Key workers will plan with each young person", "provider_action_by": f"{by:%d/%m/%Y}"}
        | extra,
    )
    assert response.status_code == 302
    return by


def latest_progress_cell(client, user) -> str:
    client.force_login(user)
    return table_rows(client.get(TRACKER).text)[0][6]


def test_the_providers_own_update_is_the_latest_progress(client, provider_user, qa_lead, rec):
    assert latest_progress_cell(client, qa_lead).startswith("Raised with the manager")
    by = provider_update(client, provider_user, rec)
    expected = f"Harbour Lights Fostering: Key workers will plan with each young person, by {by:%-d %B %Y}"
    cell = latest_progress_cell(client, qa_lead)
    assert cell.startswith(expected)
    assert f"{timezone.localdate():%-d %b %Y}" in cell
    assert "Raised with the manager" not in cell
    row = csv_rows(client.get(reverse("reviews:tracker_export", args=["csv"])))[0]
    assert row["Latest progress"] == expected


def test_a_note_sent_with_the_update_is_shown_with_it(client, provider_user, qa_lead, rec):
    provider_update(client, provider_user, rec, note="Plans agreed with two of the three young people.")
    assert latest_progress_cell(client, qa_lead).startswith(
        "Harbour Lights Fostering: Key workers will plan with each young person, by "
    )
    row = csv_rows(client.get(reverse("reviews:tracker_export", args=["csv"])))[0]
    assert row["Latest progress"].endswith(". Plans agreed with two of the three young people.")


def test_a_council_note_after_the_providers_update_is_the_latest(client, provider_user, qa_lead, rec):
    provider_update(client, provider_user, rec)
    client.force_login(qa_lead)
    client.post(
        reverse("reviews:recommendation_progress", args=[rec.pk]),
        {"text": "Checked at the tracking meeting", "status": "in_progress"},
    )
    assert latest_progress_cell(client, qa_lead).startswith("Checked at the tracking meeting")


def test_the_providers_response_to_the_report_counts_too(client, provider_user, qa_lead, rec):
    rec.provider_accepted = False
    rec.provider_reason = "Already in place"
    rec.provider_responded_at = timezone.now()
    rec.save()
    assert latest_progress_cell(client, qa_lead).startswith("Harbour Lights Fostering did not accept it: Already")


def checked_status(html: str) -> list[str]:
    return re.findall(r'<input[^>]*name="status"[^>]*value="([a-z_]+)"[^>]*checked', html)


@pytest.mark.parametrize("status", ["open", "in_progress"])
def test_the_progress_form_starts_from_the_recommendations_status(client, qa_lead, rec, status):
    rec.status = status
    rec.save()
    client.force_login(qa_lead)
    html = client.get(reverse("reviews:recommendation_progress", args=[rec.pk])).text
    assert checked_status(html) == [status]


@pytest.mark.parametrize("status", ["open", "in_progress"])
def test_the_tracking_meetings_entry_starts_from_the_recommendations_status(client, qa_lead, rec, status):
    rec.status = status
    rec.save()
    client.force_login(qa_lead)
    assert checked_status(client.get(reverse("reviews:tracker_meeting")).text) == [status]
