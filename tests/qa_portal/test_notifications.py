"""Notifications: recorded, sent through real SMTP, retried when SMTP is down, never lost when
Redis is down, and listed for each person with an unread count."""

import socket
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from qa_portal import delivery, notify
from qa_portal.celery import app
from qa_portal.models import Notification, NotificationStatus
from reviews.calendar import meeting_invite
from reviews.models import ReviewMeeting
from tests.pages import heading
from tests.visits.conftest import complete, share_with_provider

pytestmark = pytest.mark.django_db


def make(user, key="k1", **kwargs):
    return notify.notify(
        to=user,
        kind="test",
        key=key,
        subject="Something to know",
        template="emails/visit_draft",
        context={"visit": kwargs.pop("visit", None), "days": 12},
        link="/visits/",
        **kwargs,
    )


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_notification_is_made_once_per_address_kind_and_key(qa_lead):
    assert make(qa_lead) is not None
    assert make(qa_lead) is None
    assert Notification.objects.count() == 1


def test_it_is_sent_through_smtp_as_text_and_html_with_the_calendar_invite(
    commissioning_officer, provider, smtp_server
):
    meeting = ReviewMeeting.objects.create(
        provider=provider, cadence="quarterly", placement_volume=4, due_date=timezone.localdate() + timedelta(days=14)
    )
    notification = notify.notify(
        to=commissioning_officer,
        kind="review_scheduled",
        key="m1",
        subject="Review meeting due",
        template="emails/review_scheduled",
        context={"meeting": meeting, "moved": False},
        about=meeting,
        link=meeting.get_absolute_url(),
        calendar=meeting_invite(meeting),
    )
    assert delivery.deliver(notification.pk) == "sent"
    [message] = smtp_server.wait_for(1)
    assert message["To"] == commissioning_officer.email
    assert "review meeting with Harbour Lights Fostering is due by" in message.get_body(("plain",)).get_content()
    assert "<strong>Harbour Lights Fostering</strong>" in message.get_body(("html",)).get_content()
    [invite] = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    event = Calendar.from_ical(invite.get_content()).walk("VEVENT")[0]
    assert str(event["UID"]).startswith(f"review-meeting-{meeting.pk}@")
    assert event.decoded("DTSTART") == meeting.due_date
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 1)


def test_with_smtp_down_it_is_retried_later_and_not_lost(qa_lead, smtp_server, settings):
    notification = make(qa_lead)
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    assert delivery.deliver(notification.pk) == "retry"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.PENDING
    assert "ConnectionRefusedError" in notification.last_error
    # Not before its time: the next attempt is a minute later.
    assert delivery.send_pending() == {"sent": 0, "not sent yet": 0, "failed": 0}

    settings.EMAIL_PORT = working_port
    assert delivery.send_pending(now=notification.next_attempt_at) == {"sent": 1, "not sent yet": 0, "failed": 0}
    assert len(smtp_server.wait_for(1)) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 2)


def test_after_a_day_of_failed_attempts_it_stays_visible_as_failed(client, qa_lead, settings):
    notification = make(qa_lead)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    started = now = timezone.now()
    while (outcome := delivery.deliver(notification.pk, now=now)) == "retry":
        now = Notification.objects.get(pk=notification.pk).next_attempt_at
    assert outcome == "failed"
    assert now - started >= timedelta(hours=24)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    client.force_login(qa_lead)
    assert "Something to know" in client.get(reverse("jobs")).text


@pytest.fixture
def redis_down(settings):
    """The broker and Redis unreachable, as if Redis had stopped."""
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    settings.REDIS_URL = dead
    original = app.conf.broker_url
    app.conf.broker_url = dead
    _fresh_pool()
    yield
    app.conf.broker_url = original
    _fresh_pool()


def _fresh_pool():
    # The producer pool keeps the broker address it was made with: drop it so the next
    # publish builds one for the current address (and later tests are not left on a dead one).
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_keep_working_and_healthz_says_so(
    client, qa_lead, provider_user, visit, placed, redis_down, smtp_server
):
    complete(visit, placed)
    visit.status = "submitted"
    visit.save()
    client.force_login(qa_lead)
    started = time.monotonic()
    response = share_with_provider(client, visit)
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert "Report shared with the provider" in response.text
    assert heading(client.get(reverse("home"))) == "Quality assurance programme"
    health = client.get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json()["checks"]["redis"].startswith("unreachable")

    # The provider user's email waited in the database; the catch-up sends it once it can.
    waiting = Notification.objects.get(kind="visit_shared")
    assert waiting.status == NotificationStatus.PENDING
    delivery.send_pending(now=timezone.now() + timedelta(minutes=5))
    assert smtp_server.wait_for(1)[0]["Subject"].startswith("Quality assurance visit report")


def test_the_header_counts_unread_notifications_and_the_list_marks_them_read(client, qa_lead):
    make(qa_lead, key="a")
    make(qa_lead, key="b")
    client.force_login(qa_lead)
    home = client.get(reverse("home")).text
    assert '<strong class="app-count">2<span class="govuk-visually-hidden"> unread</span></strong>' in home
    page = client.get(reverse("notifications")).text
    assert page.count("Something to know") == 2
    assert "app-count" not in client.get(reverse("home")).text


def test_people_see_only_their_own_notifications(client, qa_lead, manager):
    make(qa_lead)
    client.force_login(manager)
    assert "Something to know" not in client.get(reverse("notifications")).text


def test_the_jobs_page_is_for_the_qa_lead(client, qa_lead, senior_leader):
    client.force_login(senior_leader)
    assert client.get(reverse("jobs")).status_code == 403
    client.force_login(qa_lead)
    assert "Review scheduling" in client.get(reverse("jobs")).text
