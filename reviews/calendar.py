"""Calendar invites for review meetings.

The UID is the meeting's own, so when a meeting moves the invite updates the entry already
in people's calendars (a higher SEQUENCE) instead of adding a second one."""

from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from reviews.models import ReviewMeeting


def meeting_uid(meeting: ReviewMeeting) -> str:
    host = urlparse(settings.SITE_URL).hostname or "qa-portal"
    return f"review-meeting-{meeting.pk}@{host}"


def meeting_invite(meeting: ReviewMeeting, *, cancelled: bool = False) -> str:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.AUTHORITY_NAME}//{settings.SERVICE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.invite_sequence)
    event.add("dtstamp", timezone.now())
    # Due on a day rather than at a time: an all-day entry until the meeting is arranged.
    event.add("dtstart", meeting.due_date)
    event.add("dtend", meeting.due_date + timedelta(days=1))
    event.add("summary", f"Review meeting due: {meeting.provider}")
    event.add(
        "description",
        f"{meeting.get_cadence_display()} commissioning review with {meeting.provider} "
        f"({meeting.placement_volume} active placements). {settings.SITE_URL}{meeting.get_absolute_url()}",
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)
    return calendar.to_ical().decode()
