"""The pages of one record whose content is kept as markup (qa_portal.lists.kept_content): a young
person's, a recommendation's and a review meeting's. Each shows a change at its next opening, however it
was made; the access is checked at every opening (a permission taken away refuses the page at once) and
who was seen is logged at every opening, kept or not. Committed for real (transactional tests), as in
production: inside a test's transaction nothing is kept."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Concern, YoungPerson
from qa_portal.audit.models import PersonalDataAccess
from reviews import meetings
from reviews.models import ProgressUpdate, Recommendation, ReviewMeeting
from tests.factories import ConcernFactory, PlacementFactory, RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.reviews.test_kept_pages import opened_twice

pytestmark = pytest.mark.django_db(transaction=True)


def logged(user, what: str) -> list[list[int]]:
    """The young people's ids of each access log entry of `user` for the page `what`, oldest first."""
    return [entry.subject_ids for entry in PersonalDataAccess.objects.filter(user=user, what=what).order_by("at", "pk")]


def test_a_young_persons_placement_concern_and_details_are_on_their_page_at_once(client, qa_lead, provider):
    person = YoungPersonFactory(initials="JB", case_record_id="7100001")
    url = reverse("providers:young_person_detail", args=[person.pk])
    client.force_login(qa_lead)
    assert "Harbour Lights Fostering" not in opened_twice(client, url)
    assert logged(qa_lead, "Young person's page") == [[person.pk], [person.pk]]

    PlacementFactory(young_person=person, provider=provider, start_date=timezone.localdate() - timedelta(days=30))
    assert "Harbour Lights Fostering" in client.get(url).text
    ConcernFactory(provider=provider, young_person=person, summary="Says staff do not knock before coming in.")
    assert "Says staff do not knock before coming in." in client.get(url).text
    Concern.objects.update(summary="Says night staff do not knock.")
    assert "Says night staff do not knock." in client.get(url).text
    YoungPerson.objects.filter(pk=person.pk).update(case_record_id="7100009")
    assert "7100009" in client.get(url).text
    assert len(logged(qa_lead, "Young person's page")) == 6


def test_a_young_persons_kept_page_is_refused_at_once_when_the_role_is_taken_away(client, qa_lead):
    person = YoungPersonFactory(initials="JB")
    url = reverse("providers:young_person_detail", args=[person.pk])
    client.force_login(qa_lead)
    opened_twice(client, url)
    qa_lead.groups.clear()
    assert client.get(url).status_code == 403


def test_progress_recorded_or_a_rewording_is_on_the_recommendations_page_at_once(client, qa_lead, provider):
    person = YoungPersonFactory(initials="JB")
    rec = RecommendationFactory(
        visit=VisitFactory(provider=provider), level="child", young_person=person, text="Fit a smoke alarm."
    )
    url = reverse("reviews:recommendation_detail", args=[rec.pk])
    client.force_login(qa_lead)
    assert "No progress recorded yet." in opened_twice(client, url)
    assert logged(qa_lead, "Recommendation page") == [[person.pk], [person.pk]]

    ProgressUpdate.objects.create(recommendation=rec, text="Alarm ordered.", status_after="in_progress", by=qa_lead)
    page = client.get(url).text
    assert "Alarm ordered." in page and "No progress recorded yet." not in page
    Recommendation.objects.filter(pk=rec.pk).update(text="Fit two smoke alarms.")
    assert "Fit two smoke alarms." in client.get(url).text
    assert len(logged(qa_lead, "Recommendation page")) == 4


def test_a_provider_user_is_not_shown_a_recommendations_kept_page(client, qa_lead, provider_user, provider):
    rec = RecommendationFactory(visit=VisitFactory(provider=provider))
    url = reverse("reviews:recommendation_detail", args=[rec.pk])
    client.force_login(qa_lead)
    opened_twice(client, url)
    client.force_login(provider_user)
    # Not shared with them: they may not know of it.
    assert client.get(url).status_code == 404


def test_a_booking_or_a_recommendation_is_on_the_meetings_page_at_once(client, commissioning_officer, provider):
    PlacementFactory(provider=provider)
    meeting = meetings.meeting_schedule(
        provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=commissioning_officer
    )
    url = reverse("reviews:meeting_detail", args=[meeting.pk])
    client.force_login(commissioning_officer)
    assert "Not booked yet" in opened_twice(client, url)

    starts = timezone.now() + timedelta(days=3)
    ReviewMeeting.objects.filter(pk=meeting.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=1))
    page = client.get(url).text
    assert "Not booked yet" not in page and "Change the booking" in page
    RecommendationFactory(
        source="review_meeting", visit=None, review_meeting=meeting, provider=provider, text="Share the rota."
    )
    assert "Share the rota." in client.get(url).text
