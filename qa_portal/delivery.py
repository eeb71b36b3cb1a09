"""Sending recorded notifications by email: one attempt at a time, each claimed in the database,
and the catch-up for any left waiting. Called by the worker's tasks (qa_portal.tasks); notify.py
records and queues them.

An SMTP outage is waited out: a failed attempt is tried again after 1, 2, 4, 8, 16, 32 and 60
minutes, then every hour, and a notification is given up as failed only once its attempts have
spanned a day (GIVE_UP_AFTER). An administrator can send a failed one again.

A message is marked "sending" (and committed) before the SMTP conversation and "sent" after it,
so the only way to send it twice is a worker dying between the two; the catch-up then sends it
again with the same Message-ID, which mail clients use to drop the copy.
"""

import logging
import re
from datetime import datetime, timedelta
from email.utils import make_msgid
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from qa_portal.models import Notification, NotificationStatus

logger = logging.getLogger(__name__)

# Waits after each failed attempt, then RETRY_EVERY until the attempts span GIVE_UP_AFTER.
RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]
RETRY_EVERY = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)
# A message still "sending" this long after its attempt began was being sent by a worker that died.
SENDING_GIVEN_UP_AFTER = timedelta(minutes=5)
# The task sends a new notification at once; the catch-up takes those it has not sent by then.
NEW_LEFT_TO_THE_TASK = timedelta(seconds=60)


def calendar_part(calendar: str) -> SafeMIMEText:
    """The invite as an attachment, invite.ics, of type text/calendar with the iTIP method its text
    declares (REQUEST, or CANCEL for a cancellation), which mail programs need to offer Accept or
    to remove the entry (RFC 6047)."""
    found = re.search(r"^METHOD:(\w+)", calendar, re.MULTILINE)
    part = SafeMIMEText(calendar, "calendar", "utf-8")
    part.set_param("method", found.group(1) if found else "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait after `attempts` failed attempts (1 or more) before the next one, or None
    to give up: the waits before it already add up to GIVE_UP_AFTER."""
    waits = [RETRY_DELAYS[n] if n < len(RETRY_DELAYS) else RETRY_EVERY for n in range(attempts)]
    if sum(waits[:-1], timedelta()) >= GIVE_UP_AFTER:
        return None
    return waits[-1]


def _message_id() -> str:
    # The sender's domain, so the id is one the receiving server would expect from us.
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
    return make_msgid(domain=domain)


def _claim(notification_id: int, now: datetime) -> Notification | None:
    """Mark the notification "sending" if it is due, in a transaction of its own, so that two
    workers never send it at once and a crash afterwards is seen."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status__in=[NotificationStatus.PENDING, NotificationStatus.SENDING])
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .first()
        )
        if notification is None:
            return None
        if notification.status == NotificationStatus.SENDING:
            logger.warning("Notification %s was being sent by a worker that stopped: sending it again", notification.pk)
        notification.status = NotificationStatus.SENDING
        notification.attempts += 1
        notification.message_id = notification.message_id or _message_id()
        notification.next_attempt_at = now + SENDING_GIVEN_UP_AFTER
        notification.save(update_fields=["status", "attempts", "message_id", "next_attempt_at"])
    return notification


def deliver(notification_id: int, *, now: datetime | None = None) -> str | None:
    """Try once to email a notification that is due (`now` defaults to the present).

    Returns "sent"; "retry" when this attempt failed and another is scheduled (next_attempt_at);
    "failed" when its attempts have spanned GIVE_UP_AFTER; None if it is not due, already sent,
    or being sent by another worker."""
    now = now or timezone.now()
    notification = _claim(notification_id, now)
    if notification is None:
        return None
    message = EmailMultiAlternatives(
        notification.subject,
        notification.body,
        None,
        [notification.email],
        headers={"Message-ID": notification.message_id},
    )
    if notification.html:
        message.attach_alternative(notification.html, "text/html")
    if notification.calendar:
        message.attach(calendar_part(notification.calendar))
    # Every write below names this attempt: one given up for dead never overwrites a later one.
    mine = Notification.objects.filter(
        pk=notification.pk, status=NotificationStatus.SENDING, attempts=notification.attempts
    )
    try:
        message.send()
    except (SMTPException, OSError) as exc:
        delay = retry_delay(notification.attempts)
        mine.update(
            status=NotificationStatus.FAILED if delay is None else NotificationStatus.PENDING,
            next_attempt_at=None if delay is None else now + delay,
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        return "failed" if delay is None else "retry"
    mine.update(status=NotificationStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="")
    return "sent"


def due(now: datetime):
    """Notifications the catch-up should try now: waiting ones whose next attempt has come (new
    ones once the task has had its chance), and those a dead worker left "sending"."""
    waiting = Q(status=NotificationStatus.PENDING) & (
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, created_at__lt=now - NEW_LEFT_TO_THE_TASK)
    )
    stuck = Q(status=NotificationStatus.SENDING, next_attempt_at__lte=now)
    return Notification.objects.filter(waiting | stuck).order_by("next_attempt_at", "pk")


def send_pending(*, now: datetime | None = None, limit: int = 500) -> dict[str, int]:
    """Send every notification that is due (see `due`), up to `limit`. Returns how many were sent,
    are still to be tried again, and were given up as failed."""
    now = now or timezone.now()
    outcomes = {"sent": 0, "retry": 0, "failed": 0}
    for pk in due(now).values_list("pk", flat=True)[:limit]:
        outcome = deliver(pk, now=now)
        if outcome:
            outcomes[outcome] += 1
    return {"sent": outcomes["sent"], "not sent yet": outcomes["retry"], "failed": outcomes["failed"]}


def send_again(notifications) -> list[int]:
    """An administrator's "send again" for failed notifications: each waits to be sent at once,
    with a fresh day of attempts and its Message-ID kept. Returns the ids to queue."""
    ids = list(notifications.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids, status=NotificationStatus.FAILED).update(
        status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    return ids
