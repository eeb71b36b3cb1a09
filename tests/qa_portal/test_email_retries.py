"""Emails outlast an SMTP outage: tried again with growing waits for a day, sent once with the
same Message-ID whatever happened, repeated only when a worker died mid-send (and then with that
Message-ID), and sent again by an administrator when they failed. Through the real SMTP server."""

import os
import signal
from datetime import timedelta
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal import delivery, notify
from qa_portal.models import Notification, NotificationStatus
from tests.pages import text_of
from tests.processes import wait_until

pytestmark = pytest.mark.django_db


def make(user, key="k1"):
    return notify.notify(
        to=user,
        kind="test",
        key=key,
        subject="Something to know",
        template="emails/visit_draft",
        context={"visit": None, "days": 12},
        link="/visits/",
    )


def test_an_smtp_outage_of_an_hour_is_waited_out_and_the_email_sent_once(qa_lead, smtp_server):
    notification = make(qa_lead)
    smtp_server.stop()
    started = timezone.now()
    assert delivery.deliver(notification.pk, now=started) == "retry"
    tried_at = [started]
    while tried_at[-1] - started < timedelta(hours=1):
        now = Notification.objects.get(pk=notification.pk).next_attempt_at
        assert delivery.send_pending(now=now) == {"sent": 0, "not sent yet": 1, "failed": 0}
        tried_at.append(now)
    waits = [(later - earlier) / timedelta(minutes=1) for earlier, later in pairwise(tried_at)]
    assert waits == [1, 2, 4, 8, 16, 32]
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.PENDING

    smtp_server.start()  # the server is back, an hour and 3 minutes on
    now = Notification.objects.get(pk=notification.pk).next_attempt_at
    assert delivery.send_pending(now=now) == {"sent": 1, "not sent yet": 0, "failed": 0}
    assert delivery.send_pending(now=now + timedelta(days=2)) == {"sent": 0, "not sent yet": 0, "failed": 0}

    [message] = smtp_server.wait_for(1)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (NotificationStatus.SENT, 8)
    assert message["Message-ID"] == notification.message_id
    assert message["Subject"] == "Something to know"


@pytest.mark.processes
def test_only_a_worker_killed_mid_send_repeats_an_email_and_with_the_same_message_id(
    qa_lead, smtp_server, start_worker
):
    worker = start_worker(EMAIL_URL=f"smtp://127.0.0.1:{smtp_server.port}")
    # The server has the message, and the worker dies before it hears so.
    smtp_server.on_message = lambda message: os.killpg(worker.process.pid, signal.SIGKILL)
    notification = make(qa_lead)  # queued to the worker once committed
    wait_until(lambda: worker.process.poll() is not None, 40, "the worker died sending")
    smtp_server.on_message = None
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENDING

    # Nothing sends it again while it might still be on its way...
    assert delivery.send_pending() == {"sent": 0, "not sent yet": 0, "failed": 0}
    # ...but once the worker is clearly gone, the catch-up does, as the same message.
    later = timezone.now() + delivery.SENDING_GIVEN_UP_AFTER
    assert delivery.send_pending(now=later) == {"sent": 1, "not sent yet": 0, "failed": 0}
    first, again = smtp_server.wait_for(2)
    assert first["Message-ID"] == again["Message-ID"] == Notification.objects.get(pk=notification.pk).message_id
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.SENT


@pytest.fixture
def failed(qa_lead):
    notification = make(qa_lead)
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.FAILED,
        attempts=31,
        message_id="<first-attempt@example.org>",
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )
    return notification


def test_an_administrator_sends_failed_emails_again_from_the_admin(client, administrator, failed, smtp_server):
    client.force_login(administrator)
    changelist = reverse("admin:qa_portal_notification_changelist")
    assert "Something to know" in text_of(client.get(changelist + "?status__exact=failed"))
    response = client.post(changelist, {"action": "send_again", "_selected_action": [failed.pk]}, follow=True)
    assert "1 email will be sent again." in text_of(response)

    assert delivery.send_pending() == {"sent": 1, "not sent yet": 0, "failed": 0}
    [message] = smtp_server.wait_for(1)
    assert message["Message-ID"] == "<first-attempt@example.org>"
    assert Notification.objects.get(pk=failed.pk).status == NotificationStatus.SENT


def test_an_administrator_sends_a_failed_email_again_from_the_jobs_page(client, administrator, failed, smtp_server):
    client.force_login(administrator)
    page = text_of(client.get(reverse("jobs")))
    assert "“Something to know” to" in page and "after 31 attempts" in page
    response = client.post(reverse("email_send_again", args=[failed.pk]), follow=True)
    assert f"“Something to know” to {failed.email} will be sent again." in text_of(response)
    assert "None." in text_of(response)  # no failed email left on the list
    assert delivery.send_pending() == {"sent": 1, "not sent yet": 0, "failed": 0}
    assert len(smtp_server.wait_for(1)) == 1


def test_only_administrators_may_send_failed_emails_again(client, qa_lead, failed):
    client.force_login(qa_lead)
    assert "Send again" not in text_of(client.get(reverse("jobs")))
    assert client.post(reverse("email_send_again", args=[failed.pk])).status_code == 403
    assert Notification.objects.get(pk=failed.pk).status == NotificationStatus.FAILED
    client.force_login(qa_lead)
    assert client.post(reverse("admin:qa_portal_notification_changelist")).status_code in (302, 403)
