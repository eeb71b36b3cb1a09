"""Helpers for the booking and invite tests (plain functions, not tests): book a meeting through its
page, and read the calendar invites people were sent as their calendar programs would."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from qa_portal.working_days import working_day_on_or_after


def a_working_day(days_ahead: int) -> date:
    """A working day at least `days_ahead` days from today."""
    return working_day_on_or_after(timezone.localdate() + timedelta(days=days_ahead))


def book(client, meeting, *, day: date, start="10:00", end="11:30", place="Harbour House, 2 Quay Street", **extra):
    """POST the booking form of `meeting` as the signed-in user; every contact with an email address
    is ticked unless `contacts` is given. Returns the response."""
    contacts = extra.pop("contacts", None)
    if contacts is None:
        contacts = meeting.provider.contacts.exclude(email="")
    data = {
        "date": f"{day:%d/%m/%Y}",
        "start_time": start,
        "end_time": end,
        "place": place,
        "online_link": extra.pop("online_link", ""),
        "contacts": [str(contact.pk) for contact in contacts],
        "qa_leads": [str(user.pk) for user in extra.pop("qa_leads", [])],
        **extra,
    }
    return client.post(reverse("reviews:meeting_book", args=[meeting.pk]), data)


def attachment(message):
    """The text/calendar part of an email, or None."""
    parts = [part for part in message.iter_attachments() if part.get_content_type() == "text/calendar"]
    return parts[0] if parts else None


def invite_of(message):
    """(the calendar, its event, the method of the attachment's Content-Type) of an emailed invite."""
    part = attachment(message)
    assert part is not None, f"no calendar attached to {message['Subject']!r}"
    calendar = Calendar.from_ical(part.get_content())
    return calendar, calendar.walk("VEVENT")[0], part.get_param("method")


def sent_to(messages, address: str) -> list:
    return [message for message in messages if message["To"].lower() == address.lower()]


def attendees(event) -> dict[str, dict]:
    """Each ATTENDEE's address (without mailto:) with its parameters."""
    found = event.get("ATTENDEE")
    found = found if isinstance(found, list) else [found]
    return {str(a).removeprefix("mailto:").lower(): dict(a.params) for a in found}
