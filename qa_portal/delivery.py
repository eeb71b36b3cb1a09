"""Sending recorded notifications by email: one at a time with a lock, and the sweep for any left
waiting. Called by the worker's tasks (qa_portal.tasks); notify.py records and queues them."""

import logging
import re
from datetime import timedelta
from smtplib import SMTPException

from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import transaction
from django.utils import timezone

from qa_portal.models import Notification, NotificationStatus

logger = logging.getLogger(__name__)

# After this many failed attempts a notification stays failed, shown on the jobs page.
MAX_ATTEMPTS = 6


def calendar_part(calendar: str) -> SafeMIMEText:
    """The invite as an attachment, invite.ics, of type text/calendar with the iTIP method its text
    declares (REQUEST, or CANCEL for a cancellation), which mail programs need to offer Accept or
    to remove the entry (RFC 6047)."""
    found = re.search(r"^METHOD:(\w+)", calendar, re.MULTILINE)
    part = SafeMIMEText(calendar, "calendar", "utf-8")
    part.set_param("method", found.group(1) if found else "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def deliver(notification_id: int) -> str | None:
    """Send one pending notification: "sent"; "retry" when this attempt failed and it stays pending;
    "failed" after the last attempt; None if someone else is sending it or it is not pending."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=NotificationStatus.PENDING)
            .first()
        )
        if notification is None:
            return None
        message = EmailMultiAlternatives(notification.subject, notification.body, None, [notification.email])
        if notification.html:
            message.attach_alternative(notification.html, "text/html")
        if notification.calendar:
            message.attach(calendar_part(notification.calendar))
        notification.attempts += 1
        try:
            message.send()
        except (SMTPException, OSError) as exc:
            notification.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
            notification.save(update_fields=["attempts", "last_error", "status"])
            return "failed" if notification.status == NotificationStatus.FAILED else "retry"
        notification.status = NotificationStatus.SENT
        notification.sent_at = timezone.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "last_error", "status", "sent_at"])
        return "sent"


def send_pending(*, older_than_seconds: int = 60) -> dict[str, int]:
    """Send every notification still pending: those the broker never took, and those whose
    retries were lost with a worker. Returns how many were sent and failed."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    outcomes = {"sent": 0, "retry": 0, "failed": 0}
    pending = Notification.objects.filter(status=NotificationStatus.PENDING, created_at__lt=cutoff)
    for pk in pending.values_list("pk", flat=True)[:500]:
        outcome = deliver(pk)
        if outcome:
            outcomes[outcome] += 1
    return {"sent": outcomes["sent"], "not sent yet": outcomes["retry"], "failed": outcomes["failed"]}
