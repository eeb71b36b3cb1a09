"""The review meeting list on its FilterSet: the scheduled meetings filtered and sorted over more
than one page (the list has no download); bad values are explained next to their field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import ReviewMeeting
from tests.factories import ProviderFactory
from tests.lists import error_next_to, every_page, table_links

pytestmark = pytest.mark.django_db

LIST = reverse("reviews:meeting_list")


def _meeting(provider, due_in_days):
    return ReviewMeeting.objects.create(
        provider=provider,
        cadence="quarterly",
        placement_volume=4,
        due_date=timezone.localdate() + timedelta(days=due_in_days),
    )


@pytest.fixture
def meetings():
    """30 overdue meetings, one a provider; and 3 not yet due, which the filter leaves out."""
    overdue = [_meeting(ProviderFactory(name=f"Agency {n:02d}"), -1 - n % 5) for n in range(30)]
    for n in range(3):
        _meeting(ProviderFactory(name=f"Later {n}"), 40)
    return overdue


def test_it_filters_and_sorts_over_every_page(client, commissioning_officer, meetings):
    client.force_login(commissioning_officer)
    query = {"due": "overdue", "sort": "-provider"}
    first = client.get(LIST, query)
    assert "30 meetings scheduled" in first.text
    assert len(table_links(first.text)) == 25
    shown = every_page(client, LIST, query, read=table_links)
    z_to_a = sorted(meetings, key=lambda meeting: meeting.provider.name, reverse=True)
    assert shown == [meeting.get_absolute_url() for meeting in z_to_a]

    soonest = every_page(client, LIST, {"due": "overdue", "sort": "due"}, read=table_links)
    by_due = sorted(meetings, key=lambda meeting: (meeting.due_date, meeting.provider.name, meeting.pk))
    assert soonest == [meeting.get_absolute_url() for meeting in by_due]


def test_it_filters_by_provider(client, commissioning_officer, meetings):
    client.force_login(commissioning_officer)
    response = client.get(LIST, {"provider": meetings[3].provider_id})
    assert table_links(response.text) == [meetings[3].get_absolute_url()]
    assert f'<option value="{meetings[3].provider_id}" selected>' in response.text


def test_bad_values_are_explained_next_to_their_field(client, commissioning_officer, meetings):
    client.force_login(commissioning_officer)
    response = client.get(LIST, {"due": "yesterday", "provider": "x", "sort": "-provider"})
    assert response.status_code == 200
    assert error_next_to(response.text, "due") == "Choose when due from the list"
    assert error_next_to(response.text, "provider") == "Choose a provider from the list"
    assert "33 meetings scheduled" in response.text
