"""Review meeting pages: who may see and do what, the record form's messages, the preparation
page, the agenda PDF, fixed query counts, and the cadence thresholds in admin."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from qa_portal.roles import Role
from reviews import meetings, preparation
from reviews.models import (
    COUNTED_AREAS,
    CadenceThresholds,
    ComplianceArea,
    MeetingStatus,
    Recommendation,
    ReviewMeeting,
    Source,
)
from reviews.selectors import review_status
from tests import pages
from tests.factories import ConcernFactory, PlacementFactory, ProviderFactory, RecommendationFactory, YoungPersonFactory
from tests.reviews.test_meetings import days_ago, held_meeting, place, record, since_the_last_review, today

pytestmark = pytest.mark.django_db

STAFF_WHO_SEE_MEETINGS = [
    Role.QA_LEAD,
    Role.COMMISSIONING_OFFICER,
    Role.SENIOR_LEADER,
    Role.MANAGER,
    Role.SOCIAL_WORKER,
]


@pytest.fixture
def meeting(provider, commissioning_officer):
    """A provider with five young people placed (quarterly), and its next meeting scheduled."""
    place(provider, 5, initials=["JB", "KM", "RT", "AD", "PL"])
    return meetings.meeting_schedule(provider=provider, due_date=today() + timedelta(days=7), by=commissioning_officer)


def url(name, meeting):
    return reverse(f"reviews:{name}", args=[meeting.pk])


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


# The list


@pytest.mark.parametrize("user_with_role", STAFF_WHO_SEE_MEETINGS, indirect=True)
def test_staff_see_the_list_of_meetings(client, user_with_role, meeting):
    client.force_login(user_with_role)
    response = client.get(reverse("reviews:meeting_list"))
    assert response.status_code == 200
    assert "Harbour Lights Fostering" in response.text
    assert ("Schedule a meeting" in response.text) == (user_with_role.primary_role == Role.COMMISSIONING_OFFICER)


@pytest.mark.parametrize("user_with_role", [Role.PROVIDER_USER, Role.ADMINISTRATOR], indirect=True)
def test_provider_users_and_administrators_cannot_see_the_list(client, user_with_role, meeting):
    client.force_login(user_with_role)
    assert client.get(reverse("reviews:meeting_list")).status_code == 403


def test_the_list_shows_overdue_meetings_and_filters_them(client, commissioning_officer, meeting, other_provider):
    late = ReviewMeeting.objects.create(
        provider=other_provider, cadence="annual", placement_volume=1, due_date=days_ago(10)
    )
    client.force_login(commissioning_officer)
    response = client.get(reverse("reviews:meeting_list"))
    # Soonest due first.
    assert response.text.index(late.get_absolute_url()) < response.text.index(meeting.get_absolute_url())
    assert response.text.count('govuk-tag--red">Overdue<') == 1
    overdue = client.get(reverse("reviews:meeting_list"), {"due": "overdue"}).text
    assert "Northgate Homes" in overdue
    assert late.get_absolute_url() in overdue
    assert meeting.get_absolute_url() not in overdue
    by_provider = client.get(reverse("reviews:meeting_list"), {"provider": meeting.provider.pk}).text
    assert meeting.get_absolute_url() in by_provider
    assert late.get_absolute_url() not in by_provider


def test_due_this_month_means_due_in_this_calendar_month(client, commissioning_officer, provider, other_provider):
    this_month = ReviewMeeting.objects.create(provider=provider, cadence="annual", placement_volume=1, due_date=today())
    next_month = ReviewMeeting.objects.create(
        provider=other_provider,
        cadence="annual",
        placement_volume=1,
        due_date=today().replace(day=1) + relativedelta(months=1),
    )
    client.force_login(commissioning_officer)
    text = client.get(reverse("reviews:meeting_list"), {"due": "this_month"}).text
    assert this_month.get_absolute_url() in text
    assert next_month.get_absolute_url() not in text


def test_the_list_shows_providers_due_a_review_with_nothing_scheduled(client, commissioning_officer, provider):
    place(provider, 2)
    client.force_login(commissioning_officer)
    response = client.get(reverse("reviews:meeting_list"))
    assert "Due for a review but not scheduled" in response.text
    assert f"{reverse('reviews:meeting_schedule')}?provider={provider.pk}" in response.text


def test_the_list_shows_meetings_recently_held(client, manager, provider):
    held = held_meeting(provider, days_ago(20))
    client.force_login(manager)
    response = client.get(reverse("reviews:meeting_list"))
    assert held.get_absolute_url() in response.text
    assert days_ago(20).strftime("%-d %B %Y") in response.text


def _make_providers_with_meetings(count, offset):
    for n in range(count):
        provider = ProviderFactory()
        PlacementFactory(provider=provider, start_date=days_ago(300))
        ReviewMeeting.objects.create(
            provider=provider, cadence="annual", placement_volume=1, due_date=today() + timedelta(days=offset + n)
        )
        held_meeting(provider, days_ago(100 + n))
        PlacementFactory(provider=ProviderFactory(), start_date=days_ago(300))  # due, not scheduled


def _queries(client, path, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_the_list_runs_a_fixed_number_of_queries(client, commissioning_officer):
    # The first read makes the default thresholds when none exist (as after the flush between
    # transactional tests, in a reused test database): make them now, so both counts are alike.
    CadenceThresholds.current()
    client.force_login(commissioning_officer)
    _make_providers_with_meetings(2, 0)
    small = _queries(client, reverse("reviews:meeting_list"))
    _make_providers_with_meetings(12, 10)
    assert _queries(client, reverse("reviews:meeting_list")) == small


# Scheduling


def test_a_commissioning_officer_schedules_a_meeting(client, commissioning_officer, provider):
    place(provider, 3)
    client.force_login(commissioning_officer)
    page = client.get(reverse("reviews:meeting_schedule"), {"provider": provider.pk})
    assert page.status_code == 200
    assert f'value="{today():%d/%m/%Y}"' in page.text  # never reviewed: due now
    due = today() + timedelta(days=21)
    response = client.post(
        reverse("reviews:meeting_schedule"), {"provider": provider.pk, "due_date": f"{due:%d/%m/%Y}"}
    )
    meeting = ReviewMeeting.objects.get(provider=provider)
    assert response.status_code == 302
    assert response.url == meeting.get_absolute_url()
    assert (meeting.due_date, meeting.cadence, meeting.placement_volume) == (due, "half_yearly", 3)


def test_scheduling_again_says_one_is_already_scheduled(client, commissioning_officer, meeting):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("reviews:meeting_schedule"),
        {"provider": meeting.provider.pk, "due_date": f"{today() + timedelta(days=30):%d/%m/%Y}"},
        follow=True,
    )
    assert "already has a review meeting scheduled" in response.text
    assert ReviewMeeting.objects.filter(provider=meeting.provider).count() == 1


def test_a_concern_brings_the_open_meeting_forward(client, commissioning_officer, meeting):
    concern = ConcernFactory(provider=meeting.provider, summary="Night staff asleep on shift", received_on=days_ago(1))
    client.force_login(commissioning_officer)
    page = client.get(reverse("reviews:meeting_schedule"), {"concern": concern.pk})
    assert "Night staff asleep on shift" in page.text
    response = client.post(
        reverse("reviews:meeting_schedule"),
        {
            "provider": meeting.provider.pk,
            "due_date": f"{today() + timedelta(days=1):%d/%m/%Y}",
            "brought_forward_because": "Concern: night staff asleep on shift",
        },
        follow=True,
    )
    assert "now brought forward" in response.text
    meeting.refresh_from_db()
    assert meeting.due_date == today() + timedelta(days=1)
    assert ReviewMeeting.objects.open().filter(provider=meeting.provider).count() == 1


def test_a_due_date_in_the_past_is_refused(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("reviews:meeting_schedule"), {"provider": provider.pk, "due_date": f"{days_ago(3):%d/%m/%Y}"}
    )
    assert response.status_code == 200
    assert "The due date must be today or later" in response.text
    assert not ReviewMeeting.objects.exists()


@pytest.mark.parametrize("user_with_role", [Role.QA_LEAD, Role.MANAGER, Role.PROVIDER_USER], indirect=True)
def test_only_commissioning_schedules_meetings(client, user_with_role, provider):
    client.force_login(user_with_role)
    assert client.get(reverse("reviews:meeting_schedule")).status_code == 403
    response = client.post(
        reverse("reviews:meeting_schedule"), {"provider": provider.pk, "due_date": f"{today():%d/%m/%Y}"}
    )
    assert response.status_code == 403
    assert not ReviewMeeting.objects.exists()


# A meeting's pages: staff see them; provider users (even of that provider) get a 404


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


# Recording


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
    next_due = days_ago(1) + relativedelta(months=3)
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
    assert '<a href="#id_held_date">The date held must be today or in the past</a>' in response.text
    assert f'value="{tomorrow:%d/%m/%Y}"' in response.text
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


# Recommendations from a meeting


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


# History


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


# Preparation and the agenda


def test_the_preparation_page_lists_what_happened_since_the_last_review_only(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    text = client.get(url("meeting_prepare", meeting)).text
    assert f"Since the last review, held on {days_ago(100):%-d %B %Y}" in text
    assert "Warm home; the garden needs work." in text
    assert "An old visit." not in text
    assert "Staff do not knock before entering." in text
    assert "An old concern about food." not in text
    assert "Agree a bedtime routine with RT." in text
    assert "A finished recommendation." not in text
    assert "Inadequate" in text
    assert "Changed from Good" in text
    assert re.search(r"NS</td>\s*<td[^>]*>Started", text)
    assert re.search(r"EL</td>\s*<td[^>]*>Ended", text)
    assert not re.search(r"OL</td>\s*<td[^>]*>Started", text)
    assert "Download the agenda (PDF)" in text


def test_staff_who_may_not_see_young_people_are_not_shown_placements(client, manager, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(manager)
    text = client.get(url("meeting_prepare", meeting)).text
    assert "Placements are shown only to staff who may see young people" in text
    assert "NS</td>" not in text


def _add_more_history(provider, n):
    for i in range(n):
        ConcernFactory(provider=provider, received_on=days_ago(5 + i))
        RecommendationFactory(visit__provider=provider)
        PlacementFactory(provider=provider, start_date=days_ago(5 + i))
        PlacementFactory(
            young_person=YoungPersonFactory(), provider=provider, start_date=days_ago(90), end_date=days_ago(3 + i)
        )


def test_the_preparation_page_runs_a_fixed_number_of_queries(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    small = _queries(client, url("meeting_prepare", meeting))
    _add_more_history(provider, 6)
    assert _queries(client, url("meeting_prepare", meeting)) == small


def _pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(BytesIO(response.content)).pages]


def test_the_agenda_has_the_checklist_young_people_by_initials_and_the_marking_on_every_page(
    client, commissioning_officer, provider
):
    meeting = since_the_last_review(provider, commissioning_officer)
    people = place(provider, 6, initials=["JB", "KM", "RT", "AD", "PL", "SW"])
    _add_more_history(provider, 6)  # enough to run onto several pages
    client.force_login(commissioning_officer)
    response = client.get(url("meeting_agenda_pdf", meeting))
    assert response["Cache-Control"].startswith("max-age=0")
    pages = _pdf_pages(response)
    text = " ".join(" ".join(pages).split())
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") == 2, f"page {number}"
        assert f"Page {number} of {len(pages)}" in page
    assert "City of London Corporation" in text
    for area in ComplianceArea:
        assert area.label in text
    on = preparation.meeting_date(meeting)
    for person in people:
        assert f"{person.initials} {person.age_on(on)}" in text
        assert person.case_record_id not in text
    for heading in [
        "1. Attendees",
        "2. Outcomes for each young person placed",
        "5. Recommendations to review",
        "7. Any other business",
    ]:
        assert heading in text
    assert "Agree a bedtime routine with RT." in text


def test_the_agenda_runs_a_fixed_number_of_queries(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    small = _queries(client, url("meeting_agenda_pdf", meeting))
    _add_more_history(provider, 4)
    assert _queries(client, url("meeting_agenda_pdf", meeting)) == small


# The cadence thresholds in admin


def test_an_administrator_changes_the_thresholds(client, administrator):
    thresholds = CadenceThresholds.current()
    client.force_login(administrator)
    changelist = client.get(reverse("admin:reviews_cadencethresholds_changelist"))
    change_url = reverse("admin:reviews_cadencethresholds_change", args=[thresholds.pk])
    assert changelist.status_code == 302 and changelist.url == change_url
    page = client.get(change_url)
    assert "How often each provider has a commissioning review meeting" in page.text
    assert "Delete" not in page.text
    response = client.post(change_url, {"quarterly_from": "6", "half_yearly_from": "3", "annual_from": "1"})
    assert response.status_code == 302
    thresholds.refresh_from_db()
    assert (thresholds.quarterly_from, thresholds.half_yearly_from, thresholds.annual_from) == (6, 3, 1)


def test_thresholds_out_of_order_are_refused(client, administrator):
    thresholds = CadenceThresholds.current()
    client.force_login(administrator)
    change_url = reverse("admin:reviews_cadencethresholds_change", args=[thresholds.pk])
    response = client.post(change_url, {"quarterly_from": "2", "half_yearly_from": "3", "annual_from": "1"})
    assert response.status_code == 200
    assert "Each threshold must be higher than the next" in response.text
    thresholds.refresh_from_db()
    assert thresholds.quarterly_from == 4


def test_there_is_one_row_of_thresholds_never_added_or_deleted(client, administrator):
    thresholds = CadenceThresholds.current()
    client.force_login(administrator)
    assert client.get(reverse("admin:reviews_cadencethresholds_add")).status_code == 403
    assert client.get(reverse("admin:reviews_cadencethresholds_delete", args=[thresholds.pk])).status_code == 403
    assert CadenceThresholds.objects.count() == 1


@pytest.mark.parametrize("user_with_role", [Role.QA_LEAD, Role.COMMISSIONING_OFFICER], indirect=True)
def test_others_cannot_change_the_thresholds(client, user_with_role):
    thresholds = CadenceThresholds.current()
    client.force_login(user_with_role)
    change_url = reverse("admin:reviews_cadencethresholds_change", args=[thresholds.pk])
    assert client.get(change_url, follow=True).status_code == 403
    client.post(change_url, {"quarterly_from": "9", "half_yearly_from": "5", "annual_from": "2"})
    thresholds.refresh_from_db()
    assert thresholds.quarterly_from == 4
