"""The review preparation shows where the provider stands whatever its look-back window: a current
Inadequate judgement made before the window, and the ratings given at the previous meeting (issue 14)."""

import pytest

from reviews.models import ComplianceCheck
from tests.factories import InspectionFactory, SettingFactory
from tests.pages import text_of
from tests.reviews.meeting_pages import url
from tests.reviews.test_meeting_preparation import _pdf_pages
from tests.reviews.test_meetings import days_ago, held_meeting, since_the_last_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(provider, commissioning_officer):
    """The last review was 100 days ago; Oak Lodge was judged Inadequate 300 days ago (before it)."""
    meeting = since_the_last_review(provider, commissioning_officer)
    oak = SettingFactory(provider=provider, name="Oak Lodge")
    InspectionFactory(setting=oak, inspection_date=days_ago(700), judgement=2)
    InspectionFactory(setting=oak, inspection_date=days_ago(300), judgement=4)
    InspectionFactory(setting=oak, inspection_date=days_ago(60), judgement=None, event_type="monitoring")
    last = provider.review_meetings.get(status="held")
    ComplianceCheck.objects.create(meeting=last, area="staff_training", rag="amber", notes="Half trained in restraint")
    ComplianceCheck.objects.create(meeting=last, area="staff_recruitment", rag="red", notes="Three posts vacant")
    ComplianceCheck.objects.create(meeting=last, area="complaints", rag="green", count=2)
    # An older meeting's ratings are not the last review's.
    older = held_meeting(provider, days_ago(300))
    ComplianceCheck.objects.create(meeting=older, area="payment", rag="red", notes="An older rating")
    return meeting


def test_the_page_shows_a_current_inadequate_judgement_made_before_the_period(client, commissioning_officer, meeting):
    client.force_login(commissioning_officer)
    text = text_of(client.get(url("meeting_prepare", meeting)))
    assert f"Oak Lodge is judged Inadequate, inspected {days_ago(300):%-d %B %Y}." in text
    assert f"Oak Lodge Inadequate {days_ago(300):%-d %B %Y} Before the period looked back over" in text
    # Willow House's Inadequate falls inside the period and stands too.
    assert f"Willow House Inadequate {days_ago(40):%-d %B %Y}" in text


def test_the_page_shows_the_ratings_of_the_last_review(client, commissioning_officer, meeting):
    client.force_login(commissioning_officer)
    text = text_of(client.get(url("meeting_prepare", meeting)))
    assert f"Ratings at the last review, held {days_ago(100):%-d %B %Y}" in text
    # In the checklist's order.
    assert "Staff recruitment Red Three posts vacant" in text
    assert "Staff training Amber Half trained in restraint" in text
    assert "Complaints Green 2" in text
    assert text.index("Staff recruitment Red") < text.index("Staff training Amber") < text.index("Complaints Green")
    assert "An older rating" not in text


def test_the_agenda_shows_them_too(client, commissioning_officer, meeting):
    client.force_login(commissioning_officer)
    text = " ".join(" ".join(_pdf_pages(client.get(url("meeting_agenda_pdf", meeting)))).split())
    assert f"Oak Lodge is judged Inadequate, inspected {days_ago(300):%-d %B %Y}." in text
    assert "Three posts vacant" in text


def test_a_first_review_says_none_was_held(client, commissioning_officer, provider):
    from reviews import meetings

    meeting = meetings.meeting_schedule(provider=provider, due_date=days_ago(-7), by=commissioning_officer)
    client.force_login(commissioning_officer)
    text = text_of(client.get(url("meeting_prepare", meeting)))
    assert "No Ofsted judgement on record." in text
    assert "No review has been held before." in text
