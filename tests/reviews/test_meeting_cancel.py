"""Cancelling a review meeting, with a reason: everyone holding its invite is sent METHOD:CANCEL
(STATUS:CANCELLED, the same UID, a higher SEQUENCE), and it leaves the lists and the reminders."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.models import Notification
from qa_portal.notify import notify
from qa_portal.reporting.reminders import send_reminders
from reviews.calendar import meeting_invite, meeting_uid
from tests.mail import deliver_all
from tests.pages import text_of
from tests.reviews.invitations import a_working_day, attendees, book, invite_of

pytestmark = pytest.mark.django_db

REASON = "The registered manager is on leave; we will rebook for the week after."


@pytest.fixture
def contacts(provider):
    return [
        provider.contacts.create(name="Dee Brown", role="Registered Manager", email="dee.brown@harbour.example.org"),
        provider.contacts.create(name="Ash Patel", role="Deputy Manager", email="ash.patel@harbour.example.org"),
    ]


@pytest.fixture
def booked(client, commissioning_officer, qa_lead, meeting, contacts, smtp_server):
    """The meeting booked 10 to 20 days ahead with the QA lead and both contacts, its invites delivered."""
    client.force_login(commissioning_officer)
    book(client, meeting, day=a_working_day(10), qa_leads=[qa_lead])
    deliver_all(smtp_server)
    meeting.refresh_from_db()
    return meeting


def cancel(client, meeting, reason=REASON):
    return client.post(reverse("reviews:meeting_cancel", args=[meeting.pk]), {"reason": reason})


def test_a_cancelled_meeting_is_withdrawn_from_every_calendar(
    client, booked, commissioning_officer, qa_lead, smtp_server
):
    page = client.get(reverse("reviews:meeting_cancel", args=[booked.pk]))
    assert "Dee Brown (Registered Manager, Harbour Lights Fostering)" in text_of(page)
    response = cancel(client, booked, reason="   ")
    assert response.status_code == 200
    assert "Enter why the meeting is cancelled" in text_of(response)
    assert not Notification.objects.filter(kind="review_invite_cancelled").exists()

    response = cancel(client, booked)
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.status, booked.cancelled_because, booked.cancelled_by) == (
        "cancelled",
        REASON,
        commissioning_officer,
    )
    sent = deliver_all(smtp_server)
    assert {m["To"].lower() for m in sent} == {
        commissioning_officer.email,
        qa_lead.email,
        "dee.brown@harbour.example.org",
        "ash.patel@harbour.example.org",
    }
    for message in sent:
        calendar, event, method = invite_of(message)
        assert method == "CANCEL" and str(calendar["METHOD"]) == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == meeting_uid(booked)
        assert event["SEQUENCE"] == 2
        assert len(attendees(event)) == 4
        assert message["Subject"].startswith("Cancelled: review meeting with")
        assert REASON in message.get_body(("plain",)).get_content()

    page = text_of(client.get(booked.get_absolute_url()))
    assert f"Cancelled on {timezone.localdate():%-d %B %Y} by Sam Okafor: {REASON}" in page
    assert "Change the booking" not in page and "Cancel the meeting" not in page
    # Off the list of scheduled meetings, and never reminded of.
    listed = text_of(client.get(reverse("reviews:meeting_list")))
    assert "0 meetings scheduled" in listed
    send_reminders(today=booked.day - timedelta(days=14))
    send_reminders(today=booked.day - timedelta(days=2))
    assert not Notification.objects.filter(kind="review_coming_up").exists()
    # Nothing more can be sent for it: a cancelled meeting cannot be re-booked or cancelled again.
    response = client.get(reverse("reviews:meeting_book", args=[booked.pk]), follow=True)
    assert "This meeting was cancelled, so it cannot be changed" in text_of(response)
    assert cancel(client, booked).status_code == 302
    assert Notification.objects.filter(kind="review_invite_cancelled").count() == 4


def test_an_all_day_invite_sent_by_an_earlier_version_is_withdrawn_too(
    client, commissioning_officer, meeting, smtp_server
):
    # Before meetings were booked, the due-date emails carried an all-day invite with the meeting's UID.
    notify(
        to=commissioning_officer,
        kind="review_coming_up",
        key="legacy",
        subject="Review meeting due in 14 days",
        template="emails/review_coming_up",
        context={"meeting": meeting, "days": 14},
        about=meeting,
        calendar=meeting_invite(meeting),
    )
    deliver_all(smtp_server)
    client.force_login(commissioning_officer)
    cancel(client, meeting)
    [message] = deliver_all(smtp_server)
    _, event, method = invite_of(message)
    assert method == "CANCEL"
    assert (str(event["UID"]), event["SEQUENCE"]) == (meeting_uid(meeting), 1)
    assert event.decoded("DTSTART") == meeting.due_date


def test_the_other_officers_are_told_of_a_meeting_cancelled_before_it_was_booked(
    client, commissioning_officer, meeting, smtp_server
):
    colleague = type(commissioning_officer).objects.create_user("colleague@example.org", full_name="Kit Vale")
    colleague.groups.add(*commissioning_officer.groups.all())
    client.force_login(commissioning_officer)
    cancel(client, meeting)
    [message] = deliver_all(smtp_server)  # not the officer who cancelled it: they know
    assert message["To"] == "colleague@example.org"
    assert (
        message["Subject"]
        == f"Cancelled: review meeting with Harbour Lights Fostering, due by {meeting.due_date:%-d %B %Y}"
    )
    assert not list(message.iter_attachments())


@pytest.mark.parametrize("role", ["qa_lead", "manager", "senior_leader"])
def test_only_commissioning_cancels_a_meeting(client, request, role, meeting):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reviews:meeting_cancel", args=[meeting.pk])).status_code == 403
    assert cancel(client, meeting).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == "scheduled"
