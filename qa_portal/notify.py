"""Notifications: recorded first, then emailed by the worker, so nothing is silently dropped.

`notify()` writes a Notification row and queues its sending once the transaction
commits. If the broker is down the row simply waits: the catch-up sends every notification
that is due. A failed send is tried again with growing waits for a day (qa_portal.delivery),
after which it stays visible as failed and an administrator can send it again."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.loader import get_template, render_to_string

from qa_portal.inputs.text import on_one_line
from qa_portal.models import Notification, User

logger = logging.getLogger(__name__)


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a plain-text template (an email's text part) without HTML escaping: a provider called
    "Children's Homes" must read so, not "Children&#x27;s Homes". Every email's text part comes
    through here, so no template needs its own {% autoescape off %}. Raises TemplateDoesNotExist."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


@dataclass(frozen=True)
class Message:
    """An email as `notify()` records and sends it: to whom (the user, or None for a bare address),
    the address, the subject, the text and HTML bodies, and the full link back to the portal."""

    recipient: User | None
    email: str
    subject: str
    body: str
    html: str
    link: str


def compose(*, to, subject: str, template: str, context: dict, link: str = "") -> Message:
    """The email `notify()` would send to `to` (a user or an email address), without recording or
    sending it: what a page shows before someone confirms a step that emails people (the check page
    before a visit report is shared, visits.sharing). The subject is made one line: a name holding a
    line break (kept from an earlier import) would make the email one no mail server takes, every
    time it was tried. Raises TemplateDoesNotExist."""
    user = to if isinstance(to, User) else None
    subject = on_one_line(subject)
    full_link = settings.SITE_URL + link if link.startswith("/") else link
    context = {
        **context,
        "recipient": user,
        "link": full_link,
        "service_name": settings.SERVICE_NAME,
        "authority_name": settings.AUTHORITY_NAME,
        "subject": subject,
    }
    return Message(
        recipient=user,
        email=user.email if user else str(to),
        subject=subject,
        body=render_plain_text(f"{template}.txt", context).strip() + "\n",
        html=render_to_string(f"{template}.html", context),
        link=full_link,
    )


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
    message = compose(to=to, subject=subject, template=template, context=context, link=link)
    email = message.email
    defaults = {
        "recipient": message.recipient,
        "subject": message.subject,
        "body": message.body,
        "html": message.html,
        "link": message.link,
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
    """Hand the notification to the worker; if the broker is unreachable, the catch-up sends it later."""
    # Imported here, when a job is first queued: a tasks module loads Celery, which a process that
    # queues nothing (a visit report made as a command) is quicker without (qa_portal.celery).
    from qa_portal.tasks import send_notification

    try:
        send_notification.delay(notification_id)
    except Exception as exc:  # the broker being down must never break the page that made the notification
        logger.warning("Could not queue notification %s (%s); the catch-up will send it", notification_id, exc)


def notify_each(recipients, *, actor=None, **kwargs) -> int:
    """`notify()` each of `recipients` (users or email addresses), each address once, with the same
    kind, key, subject, template, context, about and link (`kwargs`, as for `notify()`).

    A hand-off tells the others: `actor` (the user who took the step) is left out, as are accounts
    switched off. Returns how many notifications were made now (0 if all were made before)."""
    told = 0
    seen = set()
    for recipient in recipients:
        if recipient is None:
            continue
        user = recipient if isinstance(recipient, User) else None
        email = (user.email if user else str(recipient)).lower()
        if email in seen or (user and not user.is_active) or (actor is not None and user and user.pk == actor.pk):
            continue
        seen.add(email)
        told += notify(to=recipient, **kwargs) is not None
    return told
