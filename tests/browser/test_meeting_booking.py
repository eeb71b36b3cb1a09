"""In a real browser: a commissioning officer books a review meeting, is told beside each field what to
put right, and sees the booking and who is invited on the meeting's page; both pages are accessible."""

import re

import pytest
from playwright.sync_api import expect

from qa_portal.models import Notification
from reviews import meetings
from tests.axe import assert_accessible
from tests.pages import fill_date
from tests.reviews.invitations import a_working_day
from tests.reviews.test_meetings import place
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_book_a_review_meeting_and_see_who_is_invited(page, commissioning_officer, qa_lead, provider):
    place(provider, 2)
    provider.contacts.create(name="Dee Brown", role="Registered Manager", email="dee.brown@harbour.example.org")
    meeting = meetings.meeting_schedule(provider=provider, due_date=a_working_day(30), by=commissioning_officer)
    day = a_working_day(21)

    sign_in(page, commissioning_officer.email)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Book the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Book the meeting")
    expect(page.get_by_label("Dee Brown, Registered Manager (dee.brown@harbour.example.org)")).to_be_checked()
    fill_date(page, "Date", day)
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("End time").fill("13:00")
    page.get_by_role("button", name="Book and send the invites").click()

    expect(page).to_have_title(re.compile(r"^Error: Book the meeting"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The end time must be after the start time")
    expect(summary).to_contain_text("Enter where the meeting is, or a link to join it online")
    expect(page.locator("#id_end_time_error, .govuk-error-message").first).to_be_visible()
    expect(page.get_by_label("Start time")).to_have_value("14:00")
    assert_accessible(page)
    summary.get_by_role("link", name="The end time must be after the start time").click()
    expect(page.get_by_label("End time")).to_be_focused()

    page.get_by_label("End time").fill("15:30")
    page.get_by_label("Link to join online").fill("https://teams.example.com/l/meetup-join/19%3ameeting_harbour")
    page.get_by_label(f"Invite {qa_lead.full_name}, QA lead").check()
    page.get_by_role("button", name="Book and send the invites").click()

    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text(f"Meeting booked for {day:%A %-d %B %Y}, 14:00 to 15:30")
    expect(banner).to_contain_text("the invite was sent to 3 people")
    details = page.locator(".govuk-summary-list").first
    expect(details).to_contain_text(f"{day:%A %-d %B %Y}, 14:00 to 15:30")
    expect(details).to_contain_text("Dee Brown, Registered Manager, Harbour Lights Fostering")
    expect(details).to_contain_text(qa_lead.full_name)
    expect(page.get_by_role("link", name="Join online (opens in new tab)")).to_be_visible()
    assert_accessible(page)
    assert Notification.objects.filter(kind="review_invite").count() == 3
