"""Scheduling a review meeting: only commissioning may, one open meeting per provider, a concern brings it
forward, and the due date cannot be in the past."""

from datetime import date

import pytest
from django.urls import reverse

from qa_portal.roles import Role
from reviews.models import ReviewMeeting
from tests.factories import ConcernFactory
from tests.pages import as_shown, date_shown, text_of
from tests.reviews.test_meetings import ahead, days_ago, place, today

pytestmark = pytest.mark.django_db


def test_a_commissioning_officer_schedules_a_meeting(client, commissioning_officer, provider):
    place(provider, 3)
    client.force_login(commissioning_officer)
    page = client.get(reverse("reviews:meeting_schedule"), {"provider": provider.pk})
    assert page.status_code == 200
    assert date_shown(page, "due_date") == as_shown(ahead(0))  # never reviewed: due now (or the next working day)
    due = ahead(21)
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
        {"provider": meeting.provider.pk, "due_date": f"{ahead(30):%d/%m/%Y}"},
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
            "due_date": f"{ahead(1):%d/%m/%Y}",
            "brought_forward_because": "Concern: night staff asleep on shift",
        },
        follow=True,
    )
    assert "now brought forward" in response.text
    meeting.refresh_from_db()
    assert meeting.due_date == ahead(1)
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


def test_a_due_date_on_a_weekend_or_bank_holiday_is_refused_naming_the_working_day_before(
    client, commissioning_officer, provider
):
    client.force_login(commissioning_officer)
    for day, message in [
        (date(2027, 7, 3), "3 July 2027 is a Saturday: choose a working day, for example Friday 2 July 2027"),
        (
            date(2027, 5, 31),
            "31 May 2027 is a bank holiday, Spring Bank Holiday: choose a working day, for example Friday 28 May 2027",
        ),
    ]:
        response = client.post(
            reverse("reviews:meeting_schedule"), {"provider": provider.pk, "due_date": f"{day:%d/%m/%Y}"}
        )
        assert response.status_code == 200
        assert message in text_of(response)
        assert date_shown(response, "due_date") == as_shown(day)
    assert not ReviewMeeting.objects.exists()
