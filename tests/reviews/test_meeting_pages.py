"""A review meeting's own pages: staff see them and provider users are told it does not exist, recording
the meeting and the record form's messages, adding recommendations from it, and its history."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from pypdf import PdfReader

from qa_portal.roles import Role
from qa_portal.working_days import working_day_on_or_before
from reviews import preparation
from reviews.models import COUNTED_AREAS, ComplianceArea, MeetingStatus, Recommendation, ReviewMeeting, Source
from reviews.selectors import review_status
from tests import pages
from tests.pages import as_shown, date_shown
from tests.reviews.meeting_pages import STAFF_WHO_SEE_MEETINGS, url
from tests.reviews.test_meetings import days_ago, record, today

pytestmark = pytest.mark.django_db


def record_form(meeting, held_on=None, held_time="10:00", **changes):
    data = {
        "held_date": f"{held_on or days_ago(1):%d/%m/%Y}",
        "held_time": held_time,
        "attendees": "Sam Okafor, commissioning officer\nDee Brown, registered manager",
        "provider_concerns": "Recruiting night staff",
        "provider_successes": "Two young people started college",
        "feedback_to_authority": "Referrals arrive late on Fridays",
        "notes": "",
    }
    for area in ComplianceArea:
        data[f"check_{area}_rag"] = "green"
        data[f"check_{area}_notes"] = ""
        if area in COUNTED_AREAS:
            data[f"check_{area}_count"] = "0"
    data.update(changes)
    return data


def error_beside(html: str, field: str) -> str:
    """The error message shown beside a field (GOV.UK: in the field's own form group)."""
    match = re.search(
        rf'<span id="id_{field}_1_error" class="govuk-error-message">\s*(.*?)</span>\s*(.*?)\s*</span>', html, re.S
    )
    assert match, f"no error beside {field}"
    return match.group(2).strip()


PAGES = ["meeting_detail", "meeting_prepare", "meeting_agenda_pdf"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("user_with_role", STAFF_WHO_SEE_MEETINGS, indirect=True)
def test_staff_see_a_meetings_pages(client, user_with_role, meeting, page):
    client.force_login(user_with_role)
    response = client.get(url(page, meeting))
    due = f"{meeting.due_date:%-d %B %Y}"
    if page == "meeting_agenda_pdf":
        text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(response.content)).pages)
        assert "Commissioning review meeting: agenda" in text
        assert f"Harbour Lights Fostering, {due}" in text
    else:
        assert pages.heading(response) == "Harbour Lights Fostering"
        assert f"Due {due}" in pages.text_of(response)
        if page == "meeting_prepare":
            assert "Prepare for the review meeting" in pages.text_of(response)


@pytest.mark.parametrize("page", [*PAGES, "meeting_record", "meeting_recommendation_create", "meeting_history"])
@pytest.mark.parametrize("user_with_role", [Role.PROVIDER_USER, Role.ADMINISTRATOR], indirect=True)
def test_provider_users_and_administrators_are_told_a_meeting_does_not_exist(client, user_with_role, meeting, page):
    client.force_login(user_with_role)
    assert client.get(url(page, meeting)).status_code == 404


def test_the_meeting_page_offers_what_the_user_may_do(client, commissioning_officer, qa_lead, meeting):
    client.force_login(commissioning_officer)
    text = client.get(url("meeting_detail", meeting)).text
    assert url("meeting_record", meeting) in text
    assert url("meeting_prepare", meeting) in text
    assert url("meeting_agenda_pdf", meeting) in text
    assert url("meeting_recommendation_create", meeting) in text
    assert url("meeting_history", meeting) not in text
    client.force_login(qa_lead)
    text = client.get(url("meeting_detail", meeting)).text
    assert url("meeting_record", meeting) not in text
    assert url("meeting_recommendation_create", meeting) not in text
    assert url("meeting_history", meeting) in text


def test_a_commissioning_officer_records_a_meeting(client, commissioning_officer, meeting):
    jb = meeting.provider.placements.get(young_person__initials="JB").young_person
    client.force_login(commissioning_officer)
    page = client.get(url("meeting_record", meeting))
    assert page.status_code == 200
    assert f"JB, aged {jb.age}" in page.text
    assert jb.case_record_id not in page.text
    data = record_form(
        meeting,
        **{
            f"check_{ComplianceArea.COMPLAINTS}_rag": "amber",
            f"check_{ComplianceArea.COMPLAINTS}_count": "3",
            f"outcome_{jb.pk}_notes": "Settled well; wants to learn to drive",
            f"outcome_{jb.pk}_for_case_record": "on",
        },
    )
    response = client.post(url("meeting_record", meeting), data, follow=True)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.held_on == days_ago(1)
    assert meeting.compliance_checks.get(area=ComplianceArea.COMPLAINTS).count == 3
    assert meeting.outcomes.get().young_person == jb
    next_due = working_day_on_or_before(days_ago(1) + relativedelta(months=3))
    assert review_status(meeting.provider).next_due == next_due
    assert f"The next review is due on {next_due:%-d %B %Y}" in response.text
    assert "Amber" in response.text
    assert "Settled well; wants to learn to drive" in response.text


def test_a_held_date_in_the_future_is_refused_beside_the_field_and_the_input_kept(
    client, commissioning_officer, meeting
):
    client.force_login(commissioning_officer)
    tomorrow = today() + timedelta(days=1)
    response = client.post(url("meeting_record", meeting), record_form(meeting, held_on=tomorrow))
    assert response.status_code == 200
    assert error_beside(response.text, "held_date") == "The date held must be today or in the past"
    assert '<a href="#id_held_date_day">The date held must be today or in the past</a>' in response.text
    assert date_shown(response, "held_date") == as_shown(tomorrow)
    assert "Referrals arrive late on Fridays</textarea>" in response.text
    assert response.text.count('checked="checked"') == 9
    assert ReviewMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_a_count_in_words_is_refused_beside_the_field(client, commissioning_officer, meeting):
    client.force_login(commissioning_officer)
    field = f"check_{ComplianceArea.COMPLAINTS}_count"
    response = client.post(url("meeting_record", meeting), record_form(meeting, **{field: "three"}))
    assert response.status_code == 200
    message = "Enter the number of complaints as a whole number, like 0 or 3"
    assert error_beside(response.text, field) == message
    assert f'<a href="#id_{field}">{message}</a>' in response.text
    assert 'value="three"' in response.text
    assert ReviewMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_a_missing_rating_and_a_negative_count_are_refused(client, commissioning_officer, meeting):
    client.force_login(commissioning_officer)
    data = record_form(meeting, **{f"check_{ComplianceArea.LADO_REFERRALS}_count": "-1"})
    del data[f"check_{ComplianceArea.PAYMENT}_rag"]
    response = client.post(url("meeting_record", meeting), data)
    assert error_beside(response.text, f"check_{ComplianceArea.PAYMENT}_rag") == "Choose a RAG rating for payment"
    # A set of radios is linked from the summary to its first button.
    assert f'href="#id_check_{ComplianceArea.PAYMENT}_rag_1"' in response.text
    assert (
        error_beside(response.text, f"check_{ComplianceArea.LADO_REFERRALS}_count")
        == "The number of LADO referrals cannot be less than 0"
    )


def test_a_time_later_today_is_refused(client, commissioning_officer, meeting):
    later = timezone.localtime() + timedelta(minutes=5)
    if later.date() != today():
        pytest.skip("too close to midnight for a time later today")
    client.force_login(commissioning_officer)
    response = client.post(
        url("meeting_record", meeting), record_form(meeting, held_on=today(), held_time=f"{later:%H:%M}")
    )
    assert response.status_code == 200
    assert "the meeting cannot be held in the future" in error_beside(response.text, "held_time")
    assert ReviewMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_a_recorded_meeting_cannot_be_recorded_again(client, commissioning_officer, meeting):
    record(meeting, commissioning_officer, meeting.created_at - timedelta(hours=1))
    client.force_login(commissioning_officer)
    response = client.post(url("meeting_record", meeting), record_form(meeting), follow=True)
    assert "This meeting has already been recorded" in response.text
    assert meeting.compliance_checks.count() == 9


@pytest.mark.parametrize("user_with_role", [Role.QA_LEAD, Role.MANAGER, Role.SENIOR_LEADER], indirect=True)
def test_only_commissioning_records_meetings(client, user_with_role, meeting):
    client.force_login(user_with_role)
    assert client.get(url("meeting_record", meeting)).status_code == 403
    assert client.post(url("meeting_record", meeting), record_form(meeting)).status_code == 403
    assert ReviewMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_a_commissioning_officer_adds_a_recommendation_from_the_meeting(client, commissioning_officer, meeting):
    kt = meeting.provider.placements.get(young_person__initials="KM").young_person
    client.force_login(commissioning_officer)
    page = client.get(url("meeting_recommendation_create", meeting))
    assert page.status_code == 200
    assert f"KM, aged {kt.age_on(preparation.meeting_date(meeting))}" in page.text
    response = client.post(
        url("meeting_recommendation_create", meeting),
        {
            "level": "child",
            "young_person": kt.pk,
            "text": "Arrange a driving theory course for KM by June.",
            "owner": commissioning_officer.pk,
            "action_holder": "provider",
            "due_date": f"{today() + timedelta(days=40):%d/%m/%Y}",
            "priority": "medium",
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.source, recommendation.review_meeting, recommendation.young_person) == (
        Source.REVIEW_MEETING,
        meeting,
        kt,
    )
    assert "Arrange a driving theory course" in client.get(url("meeting_detail", meeting)).text


def test_a_child_level_recommendation_needs_the_young_person(client, commissioning_officer, meeting):
    client.force_login(commissioning_officer)
    response = client.post(
        url("meeting_recommendation_create", meeting),
        {
            "level": "child",
            "text": "Something for someone.",
            "owner": commissioning_officer.pk,
            "action_holder": "provider",
            "due_date": f"{today() + timedelta(days=40):%d/%m/%Y}",
            "priority": "medium",
        },
    )
    assert response.status_code == 200
    assert "Choose the young person this recommendation is for" in response.text
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("user_with_role", [Role.QA_LEAD, Role.SOCIAL_WORKER], indirect=True)
def test_others_cannot_add_recommendations_to_a_meeting(client, user_with_role, meeting):
    client.force_login(user_with_role)
    assert client.get(url("meeting_recommendation_create", meeting)).status_code == 403


def test_the_qa_lead_sees_the_meetings_history(client, qa_lead, commissioning_officer, meeting):
    record(meeting, commissioning_officer, meeting.created_at - timedelta(hours=1))
    client.force_login(qa_lead)
    response = client.get(url("meeting_history", meeting))
    assert response.status_code == 200
    assert "Checklist: Complaints" in response.text
    assert "Sam Okafor" in response.text
    assert "Held" in response.text


@pytest.mark.parametrize("user_with_role", [Role.COMMISSIONING_OFFICER, Role.MANAGER], indirect=True)
def test_history_needs_the_change_history_permission(client, user_with_role, meeting):
    client.force_login(user_with_role)
    assert client.get(url("meeting_history", meeting)).status_code == 403
