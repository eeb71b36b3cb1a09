"""Hand-off emails as their recipients get them: each pending notification sent through the real
SMTP server by the worker's own send (qa_portal.delivery), then read as a mail client would."""

from django.conf import settings
from django.urls import reverse

from qa_portal import delivery
from qa_portal.models import Notification
from tests.pages import text_of


def deliver_all(smtp_server) -> list:
    """Send every pending notification, oldest first; the messages the SMTP server received."""
    already = len(smtp_server.messages)
    pending = list(Notification.objects.filter(status="pending").order_by("pk").values_list("pk", flat=True))
    for pk in pending:
        assert delivery.deliver(pk) == "sent"
    return smtp_server.wait_for(already + len(pending))[already:]


def to(messages, user) -> list:
    """The messages sent to `user`."""
    return [m for m in messages if m["To"] == user.email]


def text(message) -> str:
    return message.get_body(("plain",)).get_content()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


def link(path: str) -> str:
    """The address a link back to `path` has in an email."""
    return settings.SITE_URL + path


def listed_in_portal(client, user, subject: str, path: str) -> bool:
    """Whether `user`'s notifications page lists `subject`, as a link back to `path`."""
    client.force_login(user)
    response = client.get(reverse("notifications"))
    return subject in text_of(response) and f'href="{link(path)}"' in response.content.decode()
