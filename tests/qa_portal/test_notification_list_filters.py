"""Each person's notifications on their FilterSet: only their own, filtered and sorted over more
than one page (the list has no download); bad values are explained next to their field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.models import Notification, NotificationStatus
from tests.lists import error_next_to, every_page, table_rows

pytestmark = pytest.mark.django_db

LIST = reverse("notifications")


def _notification(user, n, status, **kwargs):
    return Notification.objects.create(
        recipient=user,
        email=user.email,
        kind="test",
        key=f"{status}-{n}",
        subject=f"{status.capitalize()} notice {n:02d}",
        body="Something to know",
        status=status,
        created_at=timezone.now() - timedelta(hours=n),
        **kwargs,
    )


@pytest.fixture
def notifications(qa_lead, commissioning_officer):
    """30 failed emails to the QA lead; and notifications the filters or access leave out."""
    failed = [_notification(qa_lead, n, NotificationStatus.FAILED) for n in range(30)]
    for n in range(3):
        _notification(qa_lead, n, NotificationStatus.SENT)
        _notification(commissioning_officer, n + 100, NotificationStatus.FAILED)
    return failed


def test_it_shows_only_their_own_filtered_and_sorted_over_every_page(client, qa_lead, notifications):
    client.force_login(qa_lead)
    query = {"status": "failed", "sort": "when"}
    first = client.get(LIST, query)
    assert "30 notifications match the filters" in " ".join(first.text.split())
    assert len(table_rows(first.text)) == 25
    shown = [" ".join(row[1].split()[-3:]) for row in every_page(client, LIST, query)]
    oldest_first = sorted(notifications, key=lambda n: n.created_at)
    assert shown == [n.subject for n in oldest_first]


def test_it_searches_the_subject_and_tells_new_from_seen(client, qa_lead, notifications):
    client.force_login(qa_lead)
    client.get(LIST)  # the first page's 25 newest are seen now
    assert len(every_page(client, LIST, {"seen": "new"})) == 8
    found = client.get(LIST, {"q": "sent notice", "sort": "subject"})
    assert [row[1] for row in table_rows(found.text)] == ["Sent notice 00", "Sent notice 01", "Sent notice 02"]


def test_bad_values_are_explained_next_to_their_field(client, qa_lead, notifications):
    client.force_login(qa_lead)
    response = client.get(LIST, {"status": "lost", "seen": "maybe", "q": "sent"})
    assert response.status_code == 200
    assert error_next_to(response.text, "status") == "Choose how the email went from the list"
    assert error_next_to(response.text, "seen") == "Choose new or seen from the list"
    assert "3 notifications match the filters" in " ".join(response.text.split())
