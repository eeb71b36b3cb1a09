"""Notifications: recorded first, then emailed by the worker, so nothing is silently dropped.

`notify()` writes a Notification row and queues its sending once the transaction
commits. If the broker is down the row simply waits: the sweep job sends every pending
notification it finds. A failed send is retried with back-off, and after the last attempt
it stays visible as failed."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from qa_portal.models import Notification, NotificationStatus, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6


def notify(
    *,
    to,
    kind: str,
    key: str,
    subject: str,
    template: str,
    context: dict,
    about=None,
    link: str = "",
    calendar: str = "",
) -> Notification | None:
    """Record a notification for `to` (a user or an email address) and queue it.

    Returns None if this notification (same address, kind and key) was made before: each
    reminder goes once, however often the job that makes it runs."""
    user = to if isinstance(to, User) else None
    email = user.email if user else str(to)
    full_link = settings.SITE_URL + link if link.startswith("/") else link
    context = {
        **context,
        "recipient": user,
        "link": full_link,
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
        "subject": subject,
    }
    defaults = {
        "recipient": user,
        "subject": subject,
        "body": render_to_string(f"{template}.txt", context).strip() + "\n",
        "html": render_to_string(f"{template}.html", context),
        "link": full_link,
        "calendar": calendar,
    }
    if about is not None:
        defaults["content_type"] = ContentType.objects.get_for_model(about)
        defaults["object_id"] = about.pk
    try:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                email=email, kind=kind, key=key, defaults=defaults
            )
    except IntegrityError:  # made at the same moment by another run
        return None
    if not created:
        return None
    transaction.on_commit(lambda: enqueue(notification.pk))
    return notification


def enqueue(notification_id: int) -> None:
    """Hand the notification to the worker; if the broker is unreachable, the sweep sends it later."""
    from qa_portal.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception as exc:  # the broker being down must never break the page that made the notification
        logger.warning("Could not queue notification %s (%s); the sweep will send it", notification_id, exc)


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
            message.attach("invite.ics", notification.calendar, "text/calendar; method=REQUEST; charset=UTF-8")
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
