"""Calendar invites (iCalendar, RFC 5545 and RFC 5546 iTIP) for booked review meetings.

An invite is a timed event in Europe/London, with its VTIMEZONE, the organiser (who booked it) and
one ATTENDEE for each person invited. The UID is the meeting's own and never changes, and the
SEQUENCE is the meeting's `invite_sequence`, raised by every change: so an update or a cancellation
replaces the entry already in each calendar instead of adding a second one. `METHOD:REQUEST` puts the
meeting in a calendar (or updates it); `METHOD:CANCEL` with `STATUS:CANCELLED` takes it out."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from reviews.models import MeetingInvitee, ReviewMeeting

# icalendar (0.1 s to import) is imported when an invite is written, not whenever Django starts.
if TYPE_CHECKING:
    from icalendar import Timezone, vCalAddress

LONDON = ZoneInfo("Europe/London")
REQUEST, CANCEL = "REQUEST", "CANCEL"


def meeting_uid(meeting: ReviewMeeting) -> str:
    """The same for every invite about the meeting: review-meeting-<id>@<the portal's host>."""
    host = urlparse(settings.SITE_URL).hostname or "qa-portal"
    return f"review-meeting-{meeting.pk}@{host}"


def _london_timezone() -> "Timezone":
    """Europe/London as calendar programs write it: GMT, and BST from the last Sunday in March
    (01:00 GMT) to the last Sunday in October (02:00 BST), the rule since 1996."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    zone = Timezone()
    zone.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("dtstart", datetime(1996, 3, 31, 1, 0))
    summer.add("tzoffsetfrom", timedelta(hours=0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1996, 10, 27, 2, 0))
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(hours=0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def _address(email: str, name: str, **params) -> "vCalAddress":
    from icalendar import vCalAddress

    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = name
    for key, value in params.items():
        address.params[key.replace("_", "-")] = value
    return address


def _organiser(meeting: ReviewMeeting) -> "vCalAddress":
    """Who booked it, so replies reach a person; the portal's own address before anyone has."""
    if meeting.booked_by_id:
        return _address(meeting.booked_by.email, meeting.booked_by.full_name)
    return _address(settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">"), settings.SERVICE_NAME)


def where(meeting: ReviewMeeting) -> str:
    """The LOCATION: the place, the link to join online, or both ("Civic Centre, room 2; online: …")."""
    if meeting.place and meeting.online_link:
        return f"{meeting.place}; online: {meeting.online_link}"
    return meeting.place or meeting.online_link


def meeting_invite(
    meeting: ReviewMeeting, *, method: str = REQUEST, attendees: list[MeetingInvitee] | None = None
) -> str:
    """The iCalendar text of the meeting's invite: `method` REQUEST (put in calendars, or update) or
    CANCEL (take out). `attendees` are listed as ATTENDEEs (default: everyone invited now); a CANCEL
    sent to someone no longer invited lists only them (RFC 5546, 3.2.5).

    A meeting cancelled before it was booked has no time: its CANCEL carries the due date as a whole
    day, to match the all-day entries that earlier versions of the portal sent for a due date."""
    from icalendar import Calendar, Event

    if attendees is None:
        attendees = list(meeting.invitees.all())
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.AUTHORITY_NAME}//{settings.SERVICE_NAME}//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.invite_sequence)
    event.add("dtstamp", timezone.now())
    if meeting.is_booked:
        calendar.add_component(_london_timezone())
        event.add("dtstart", meeting.starts_at.astimezone(LONDON))
        event.add("dtend", meeting.ends_at.astimezone(LONDON))
        event.add("transp", "OPAQUE")
    else:
        event.add("dtstart", meeting.due_date)
        event.add("dtend", meeting.due_date + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    event.add("summary", f"Review meeting: {meeting.provider} and {settings.AUTHORITY_NAME}")
    if meeting.is_booked:
        event.add("location", where(meeting))
    if meeting.online_link:
        event.add("url", meeting.online_link)
    event.add("description", _description(meeting, cancelled=method == CANCEL))
    event.add("organizer", _organiser(meeting))
    for invitee in attendees:
        event.add(
            "attendee",
            _address(
                invitee.email,
                invitee.name,
                cutype="INDIVIDUAL",
                role="CHAIR" if invitee.chair else "REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="TRUE",
            ),
        )
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _description(meeting: ReviewMeeting, *, cancelled: bool) -> str:
    # No portal link and nothing about the young people: the invite goes to the provider too.
    lines = [
        f"{meeting.get_cadence_display()} commissioning review meeting between {settings.AUTHORITY_NAME} "
        f"and {meeting.provider}."
    ]
    if cancelled and meeting.cancelled_because:
        lines.append(f"Cancelled: {meeting.cancelled_because}")
    if meeting.place:
        lines.append(f"Where: {meeting.place}")
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    return "\n".join(lines)
