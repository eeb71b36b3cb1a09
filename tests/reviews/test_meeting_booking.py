"""Booking a review meeting: a date, start and end time, a place or a link, and who is invited; each
person invited is sent a timed calendar invite through real SMTP, and every change of date, time or
place (bringing it forward included) sends the update at once with a higher SEQUENCE."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.models import Notification
from qa_portal.notify import notify
from qa_portal.roles import Role
from reviews.calendar import meeting_invite, meeting_uid
from reviews.invites import send_invites
from reviews.models import ReviewMeeting
from tests.factories import UserFactory
from tests.mail import deliver_all
from tests.pages import form_values, text_of
from tests.reviews.invitations import a_working_day, attendees, book, invite_of, sent_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def contacts(provider):
    """The provider's contacts: two with an email address, one without."""
    return [
        provider.contacts.create(name="Dee Brown", role="Registered Manager", email="Dee.Brown@harbour.example.org"),
        provider.contacts.create(name="Ash Patel", role="Deputy Manager", email="ash.patel@harbour.example.org"),
        provider.contacts.create(name="Pat Only-Phone", role="Cook", phone="01632 960000"),
    ]


@pytest.fixture
def signed_in(client, commissioning_officer):
    client.force_login(commissioning_officer)
    return client


def everyone(commissioning_officer, qa_lead) -> set[str]:
    return {
        commissioning_officer.email,
        qa_lead.email,
        "dee.brown@harbour.example.org",
        "ash.patel@harbour.example.org",
    }


def test_each_person_invited_gets_a_timed_invite_in_london_time(
    signed_in, meeting, contacts, commissioning_officer, qa_lead, smtp_server
):
    day = a_working_day(21)
    response = book(signed_in, meeting, day=day, qa_leads=[qa_lead])
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    messages = deliver_all(smtp_server)
    assert {m["To"].lower() for m in messages} == everyone(commissioning_officer, qa_lead)

    calendar, event, method = invite_of(sent_to(messages, "dee.brown@harbour.example.org")[0])
    assert method == "REQUEST"
    assert str(calendar["METHOD"]) == "REQUEST"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert str(event["UID"]) == meeting_uid(meeting)
    assert str(event["UID"]).startswith(f"review-meeting-{meeting.pk}@")
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTAMP").tzinfo is not None
    starts, ends = event["DTSTART"], event["DTEND"]
    assert starts.params["TZID"] == ends.params["TZID"] == "Europe/London"
    assert (starts.dt.date(), starts.dt.strftime("%H:%M"), ends.dt.strftime("%H:%M")) == (day, "10:00", "11:30")
    assert starts.dt == timezone.make_aware(datetime.combine(day, datetime.min.time()).replace(hour=10))
    assert str(event["LOCATION"]) == "Harbour House, 2 Quay Street"
    assert str(event["STATUS"]) == "CONFIRMED"
    organiser = event["ORGANIZER"]
    assert (str(organiser), organiser.params["CN"]) == (f"mailto:{commissioning_officer.email}", "Sam Okafor")
    listed = attendees(event)
    assert set(listed) == everyone(commissioning_officer, qa_lead)  # not the contact without an email address
    for address, params in listed.items():
        assert params["PARTSTAT"] == "NEEDS-ACTION" and params["RSVP"] == "TRUE", address
        assert params["CN"]
    assert listed[commissioning_officer.email]["ROLE"] == "CHAIR"
    assert listed["dee.brown@harbour.example.org"] | {"CN": ""} == {
        "CN": "",
        "CUTYPE": "INDIVIDUAL",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "TRUE",
    }
    assert listed["dee.brown@harbour.example.org"]["CN"] == "Dee Brown"

    # What each person reads: the provider's people are not sent a link into the council's records.
    contact_text = sent_to(messages, "dee.brown@harbour.example.org")[0].get_body(("plain",)).get_content()
    assert f"When: {day:%A %-d %B %Y}, 10:00 to 11:30 (UK time)" in contact_text
    assert "/reviews/" not in contact_text
    officer_text = sent_to(messages, commissioning_officer.email)[0].get_body(("plain",)).get_content()
    assert f"/reviews/{meeting.pk}/" in officer_text


def test_the_meeting_page_shows_the_booking(signed_in, meeting, contacts, qa_lead):
    day = a_working_day(21)
    page = signed_in.get(reverse("reviews:meeting_detail", args=[meeting.pk]))
    assert "Not booked yet" in text_of(page)
    book(signed_in, meeting, day=day, online_link="https://teams.example.com/l/meetup-join/19%3ameeting")
    page = text_of(signed_in.get(reverse("reviews:meeting_detail", args=[meeting.pk]), follow=True))
    assert f"Booked for {day:%A %-d %B %Y}, 10:00 to 11:30" in page
    assert "Harbour House, 2 Quay Street" in page and "Join online" in page
    assert "Dee Brown, Registered Manager, Harbour Lights Fostering" in page
    assert "Pat Only-Phone" not in page
    assert "Change the booking" in page and "Cancel the meeting" in page


def test_at_first_every_contact_with_an_email_is_ticked_and_the_qa_lead_is_not(signed_in, meeting, contacts, qa_lead):
    page = signed_in.get(reverse("reviews:meeting_book", args=[meeting.pk]))
    assert page.status_code == 200
    shown = form_values(page, "")
    assert sorted(shown["contacts"]) == sorted(str(contact.pk) for contact in contacts[:2])
    assert "qa_leads" not in shown
    assert "Pat Only-Phone" not in text_of(page)
    assert f"Invite {qa_lead.full_name}, QA lead" in text_of(page)
    assert "Sam Okafor (organiser, chairing)" in text_of(page)


def test_mistakes_are_explained_beside_each_field_and_nothing_is_sent(signed_in, meeting, contacts):
    day = a_working_day(21)
    response = book(signed_in, meeting, day=day, start="14:00", end="13:30", place="", contacts=[])
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert "The end time must be after the start time" in page
    assert "Enter where the meeting is, or a link to join it online" in page
    assert "Choose at least one person from the provider to invite" in page
    html = response.content.decode()
    assert 'value="14:00"' in html and 'value="13:30"' in html  # what was typed is kept
    assert 'href="#id_contacts_1"' in html  # the summary lands on the first checkbox

    response = book(signed_in, meeting, day=timezone.localdate() - timedelta(days=1), online_link="teams meeting")
    page = text_of(response)
    assert "The date must be today or in the future" in page
    assert "Enter the link in full, starting with https://" in page
    meeting.refresh_from_db()
    assert not meeting.is_booked and meeting.invite_sequence == 0
    assert not Notification.objects.filter(kind="review_invite").exists()


def test_a_moved_meeting_sends_the_update_at_once_with_a_higher_sequence(
    signed_in, meeting, contacts, commissioning_officer, qa_lead, smtp_server
):
    day = a_working_day(21)
    book(signed_in, meeting, day=day, qa_leads=[qa_lead])
    first = deliver_all(smtp_server)
    response = book(signed_in, meeting, day=day, start="14:00", end="15:30", qa_leads=[qa_lead])
    assert response.status_code == 302
    # Sent at once: every update is already recorded and on its way, not waiting for a reminder.
    assert Notification.objects.filter(kind="review_invite", key=f"meeting:{meeting.pk}:invite:2").count() == 4
    update = deliver_all(smtp_server)
    assert {m["To"].lower() for m in update} == everyone(commissioning_officer, qa_lead)
    _, before, _ = invite_of(first[0])
    for message in update:
        assert message["Subject"].startswith("Updated invitation: review meeting with")
        _, event, method = invite_of(message)
        assert method == "REQUEST"
        assert str(event["UID"]) == str(before["UID"])
        assert event["SEQUENCE"] == 2 > before["SEQUENCE"]
        assert event["DTSTART"].dt.strftime("%H:%M") == "14:00"

    # A new place is a change too.
    book(signed_in, meeting, day=day, start="14:00", end="15:30", place="Civic Centre, room 2", qa_leads=[qa_lead])
    moved_place = deliver_all(smtp_server)
    assert len(moved_place) == 4
    assert {invite_of(m)[1]["SEQUENCE"] for m in moved_place} == {3}
    assert {str(invite_of(m)[1]["LOCATION"]) for m in moved_place} == {"Civic Centre, room 2"}


def test_bringing_a_booked_meeting_forward_on_its_page_counts_as_a_move(
    signed_in, meeting, contacts, commissioning_officer, smtp_server
):
    later, earlier = a_working_day(28), a_working_day(14)
    book(signed_in, meeting, day=later)
    deliver_all(smtp_server)
    book(signed_in, meeting, day=earlier)
    update = deliver_all(smtp_server)
    assert len(update) == 3
    for message in update:
        _, event, _ = invite_of(message)
        assert (event["SEQUENCE"], event["DTSTART"].dt.date()) == (2, earlier)


def test_bringing_a_booked_meeting_forward_for_a_concern_moves_the_booking_and_tells_everyone(
    signed_in, meeting, contacts, smtp_server
):
    later, earlier = a_working_day(28), a_working_day(10)
    ReviewMeeting.objects.filter(pk=meeting.pk).update(due_date=later)
    book(signed_in, meeting, day=later, start="09:30", end="11:00")
    deliver_all(smtp_server)
    response = signed_in.post(
        reverse("reviews:meeting_schedule"),
        {
            "provider": meeting.provider.pk,
            "due_date": f"{earlier:%d/%m/%Y}",
            "brought_forward_because": "Concern: night staff asleep on shift",
        },
        follow=True,
    )
    assert "now brought forward" in text_of(response)
    assert "everyone invited was sent the update" in text_of(response)
    meeting.refresh_from_db()
    assert (meeting.due_date, meeting.day, meeting.invite_sequence) == (earlier, earlier, 2)
    update = deliver_all(smtp_server)
    assert len(update) == 3
    for message in update:
        _, event, _ = invite_of(message)
        assert event["SEQUENCE"] == 2
        assert (event["DTSTART"].dt.date(), event["DTSTART"].dt.strftime("%H:%M")) == (earlier, "09:30")


def test_someone_taken_off_the_list_is_sent_a_cancellation_and_someone_added_the_invite(
    signed_in, meeting, contacts, qa_lead, commissioning_officer, smtp_server
):
    day = a_working_day(21)
    book(signed_in, meeting, day=day)
    deliver_all(smtp_server)
    book(signed_in, meeting, day=day, contacts=[contacts[0]], qa_leads=[qa_lead])
    sent = deliver_all(smtp_server)
    assert sorted(m["To"].lower() for m in sent) == sorted(["ash.patel@harbour.example.org", qa_lead.email])
    [cancelled] = sent_to(sent, "ash.patel@harbour.example.org")
    calendar, event, method = invite_of(cancelled)
    assert method == "CANCEL" and str(calendar["METHOD"]) == "CANCEL"
    assert list(attendees(event)) == ["ash.patel@harbour.example.org"]  # only the person uninvited
    assert event["ATTENDEE"].params["CN"] == "Ash Patel"
    assert str(event["UID"]) == meeting_uid(meeting) and event["SEQUENCE"] == 2
    [invited] = sent_to(sent, qa_lead.email)
    assert invite_of(invited)[2] == "REQUEST"
    meeting.refresh_from_db()
    assert {i.email.lower() for i in meeting.invitees.all()} == {
        commissioning_officer.email,
        qa_lead.email,
        "dee.brown@harbour.example.org",
    }


def test_each_version_of_the_invite_goes_to_each_person_once(signed_in, meeting, contacts, smtp_server):
    day = a_working_day(21)
    book(signed_in, meeting, day=day)
    response = book(signed_in, meeting, day=day)  # saved again, nothing changed
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.invite_sequence == 1
    assert send_invites(meeting, list(meeting.invitees.all()), updated=False) == 0
    assert len(deliver_all(smtp_server)) == 3
    keys = set(Notification.objects.filter(kind="review_invite").values_list("email", "key"))
    assert len(keys) == 3 and {key for _, key in keys} == {f"meeting:{meeting.pk}:invite:1"}


def test_a_provider_with_no_contact_email_is_told_how_to_add_one(signed_in, meeting):
    meeting.provider.contacts.create(name="Pat Only-Phone", phone="01632 960000")
    page = text_of(signed_in.get(reverse("reviews:meeting_book", args=[meeting.pk])))
    assert "Harbour Lights Fostering has no contacts with an email address" in page
    response = book(signed_in, meeting, day=a_working_day(21))
    assert "has no contacts with an email address: add one on the provider's page first" in text_of(response)


@pytest.mark.parametrize("user_with_role", ["qa_lead", "manager", "senior_leader"])
def test_only_commissioning_books_a_meeting(client, request, user_with_role, meeting, contacts):
    client.force_login(request.getfixturevalue(user_with_role))
    assert client.get(reverse("reviews:meeting_book", args=[meeting.pk])).status_code == 403
    assert book(client, meeting, day=a_working_day(21)).status_code == 403
    assert not Notification.objects.filter(kind="review_invite").exists()


def test_a_provider_user_cannot_know_of_the_meeting(client, provider_user, meeting, contacts):
    client.force_login(provider_user)
    assert book(client, meeting, day=a_working_day(21)).status_code in (403, 404)
    assert not Notification.objects.filter(kind="review_invite").exists()


def test_booking_withdraws_an_all_day_invite_an_earlier_version_sent_to_someone_not_invited(
    signed_in, meeting, contacts, commissioning_officer, smtp_server
):
    # Before meetings were booked, every commissioning officer was sent an all-day invite for the due date.
    colleague = UserFactory(role=Role.COMMISSIONING_OFFICER, full_name="Kit Vale", email="kit.vale@example.org")
    notify(
        to=colleague,
        kind="review_scheduled",
        key="legacy",
        subject="Review meeting due",
        template="emails/review_scheduled",
        context={"meeting": meeting, "moved": False},
        about=meeting,
        calendar=meeting_invite(meeting),
    )
    deliver_all(smtp_server)
    book(signed_in, meeting, day=a_working_day(21))
    [withdrawn] = sent_to(deliver_all(smtp_server), colleague.email)
    _, event, method = invite_of(withdrawn)
    assert method == "CANCEL"
    assert (str(event["UID"]), event["SEQUENCE"]) == (meeting_uid(meeting), 1)
    assert event["ATTENDEE"].params["CN"] == "Kit Vale"
