"""Who is sent a review meeting's calendar invite, its updates and its cancellation.

Every invite is a Notification about the meeting carrying the iCalendar text (reviews.calendar), sent
through the ledger like every other email, so each goes once: an invite is keyed by the meeting and
its SEQUENCE ("meeting:<id>:invite:<sequence>", kind `review_invite`), a cancellation likewise
("meeting:<id>:cancel:<sequence>", kind `review_invite_cancelled`). A change raises the SEQUENCE, so
the same person is sent each new version once, and never the same version twice.

Whoever holds the invite is read back from those notifications (`invite_holders`): everyone sent an
invite about the meeting and not sent a cancellation since. That is who a cancellation goes to, so
nobody is left with an entry in their calendar for a meeting that will not happen, including those
sent one by earlier versions of the portal, which attached an all-day invite to due-date emails."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from qa_portal.models import Notification, User
from qa_portal.notify import notify
from reviews.calendar import CANCEL, REQUEST, meeting_invite
from reviews.models import MeetingInvitee, ReviewMeeting

INVITE = "review_invite"
INVITE_CANCELLED = "review_invite_cancelled"
# A commissioning officer told that a meeting they held no invite for was cancelled.
MEETING_CANCELLED = "review_cancelled"


def when(meeting: ReviewMeeting) -> str:
    """ "Friday 2 July 2027, 10:00 to 11:30" (UK time) once booked; "due by 2 July 2027" before."""
    if not meeting.is_booked:
        return f"due by {meeting.due_date:%-d %B %Y}"
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    return f"{starts:%A %-d %B %Y, %H:%M} to {ends:%H:%M}"


def invite_holders(meeting: ReviewMeeting) -> dict[str, Notification]:
    """The addresses (lower case) holding an invite to the meeting, each with the last invite sent to
    it: everyone sent a calendar invite about it whose last calendar email was not a cancellation."""
    about = ContentType.objects.get_for_model(ReviewMeeting)
    last: dict[str, Notification] = {}
    sent = Notification.objects.filter(content_type=about, object_id=meeting.pk).exclude(calendar="")
    for notification in sent.select_related("recipient").order_by("created_at", "pk"):
        last[notification.email.lower()] = notification
    return {email: n for email, n in last.items() if "METHOD:CANCEL" not in n.calendar}


def _staff(address) -> bool:
    return isinstance(address, User) and not address.is_provider_user


def _subject(meeting: ReviewMeeting, prefix: str, address) -> str:
    # Council staff know the meeting by the provider; the provider's people by the council.
    other = meeting.provider.name if _staff(address) else settings.AUTHORITY_NAME
    return f"{prefix}: review meeting with {other}, {when(meeting)}"


def _send(meeting: ReviewMeeting, address, *, kind: str, prefix: str, calendar: str, **context) -> bool:
    if isinstance(address, User) and not address.is_active:
        return False
    staff = _staff(address)
    made = notify(
        to=address,
        kind=kind,
        key=f"meeting:{meeting.pk}:{'invite' if kind == INVITE else 'cancel'}:{meeting.invite_sequence}",
        subject=_subject(meeting, prefix, address),
        template="emails/review_invite",
        context={"meeting": meeting, "when": when(meeting), "staff": staff, "attached": bool(calendar), **context},
        about=meeting,
        # Provider contacts cannot open the council's meeting record: no link for them.
        link=meeting.get_absolute_url() if staff else "",
        calendar=calendar,
    )
    return made is not None


def send_invites(meeting: ReviewMeeting, invitees: list[MeetingInvitee], *, updated: bool) -> int:
    """Send the current version of the invite (METHOD:REQUEST, the meeting's SEQUENCE) to `invitees`
    at once; `updated` when it replaces one already sent. Returns how many were sent now: none to
    anyone already sent this version."""
    calendar = meeting_invite(meeting, method=REQUEST)
    prefix = "Updated invitation" if updated else "Invitation"
    return sum(
        _send(meeting, invitee.address, kind=INVITE, prefix=prefix, calendar=calendar, updated=updated)
        for invitee in invitees
    )


def send_uninvites(meeting: ReviewMeeting, invited: list[MeetingInvitee], removed: list[MeetingInvitee] = ()) -> int:
    """A METHOD:CANCEL naming only them to everyone holding the invite of a meeting that goes ahead
    who is not among those `invited` now: someone taken off the list (`removed`, for their names), or
    sent an all-day invite for its due date by an earlier version of the portal. Returns how many
    were sent now."""
    keep = {invitee.email.lower() for invitee in invited}
    names = {invitee.email.lower(): invitee.name for invitee in removed}
    told = 0
    for email, notification in invite_holders(meeting).items():
        if email in keep:
            continue
        person = notification.recipient
        name = names.get(email) or (person.full_name if person else notification.email)
        gone = MeetingInvitee(meeting=meeting, name=name, email=notification.email)
        told += _send(
            meeting,
            person or notification.email,
            kind=INVITE_CANCELLED,
            prefix="No longer invited",
            calendar=meeting_invite(meeting, method=CANCEL, attendees=[gone]),
            uninvited=True,
        )
    return told


def send_cancellation(meeting: ReviewMeeting, *, actor=None) -> int:
    """The meeting is off: METHOD:CANCEL (STATUS:CANCELLED, its UID, its raised SEQUENCE) to everyone
    holding its invite (`actor` included: it is their calendar too), and a plain email to each
    commissioning officer for the provider who holds none, but the `actor` who cancelled it, so the
    officers always know. Returns how many were sent now."""
    calendar = meeting_invite(meeting, method=CANCEL)
    told = 0
    holders = invite_holders(meeting)
    for notification in holders.values():
        address = notification.recipient or notification.email
        told += _send(meeting, address, kind=INVITE_CANCELLED, prefix="Cancelled", calendar=calendar, cancelled=True)
    for officer in meeting.provider.commissioning_officers():
        if officer.email.lower() not in holders and not (actor is not None and officer.pk == actor.pk):
            told += _send(meeting, officer, kind=MEETING_CANCELLED, prefix="Cancelled", calendar="", cancelled=True)
    return told
