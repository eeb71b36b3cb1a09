"""The list of review meetings: who may see it, overdue and due-this-month meetings and their filters,
providers due a review with nothing scheduled, meetings recently held, and a fixed number of queries."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from qa_portal.roles import Role
from reviews.models import CadenceThresholds, ReviewMeeting
from tests.factories import PlacementFactory, ProviderFactory
from tests.reviews.meeting_pages import STAFF_WHO_SEE_MEETINGS, _queries
from tests.reviews.test_meetings import days_ago, held_meeting, place, today

pytestmark = pytest.mark.django_db


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


def test_the_list_runs_a_fixed_number_of_queries(client, commissioning_officer):
    # The first read makes the default thresholds when none exist (as after the flush between
    # transactional tests, in a reused test database): make them now, so both counts are alike.
    CadenceThresholds.current()
    client.force_login(commissioning_officer)
    _make_providers_with_meetings(2, 0)
    small = _queries(client, reverse("reviews:meeting_list"))
    _make_providers_with_meetings(12, 10)
    assert _queries(client, reverse("reviews:meeting_list")) == small


def test_the_list_pages_25_at_a_time_keeping_the_sort_and_filters(client, commissioning_officer):
    meetings = []
    for n in range(30):
        provider = ProviderFactory(name=f"Provider {n:02d}")
        meetings.append(
            ReviewMeeting.objects.create(
                provider=provider, cadence="annual", placement_volume=1, due_date=today() - timedelta(days=n + 1)
            )
        )
    # Due later: not overdue, so filtered out.
    ReviewMeeting.objects.create(
        provider=ProviderFactory(), cadence="annual", placement_volume=1, due_date=today() + timedelta(days=40)
    )
    client.force_login(commissioning_officer)
    query = {"due": "overdue", "sort": "-due"}
    first = client.get(reverse("reviews:meeting_list"), query)
    assert list(first.context["page"]) == meetings[:25]
    assert "Showing 1 to 25 of 30" in first.text
    assert "due=overdue&amp;sort=-due&amp;page=2" in first.text
    second = client.get(reverse("reviews:meeting_list"), {**query, "page": 2})
    assert list(second.context["page"]) == meetings[25:]
    assert "Showing 26 to 30 of 30" in second.text


def test_a_provider_with_a_meeting_scheduled_is_not_listed_as_due_but_not_scheduled(
    client, commissioning_officer, provider, other_provider
):
    place(provider, 2)
    place(other_provider, 2)
    ReviewMeeting.objects.create(
        provider=other_provider, cadence="half_yearly", placement_volume=2, due_date=today() - timedelta(days=5)
    )
    client.force_login(commissioning_officer)
    unscheduled = client.get(reverse("reviews:meeting_list")).context["unscheduled"]
    assert [candidate for candidate, _ in unscheduled] == [provider]
