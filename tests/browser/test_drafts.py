"""In a real browser: what is typed into a long form is kept in the browser until the server has it.
Closing the tab and opening the form again puts it back under a banner; a form that comes back with
errors keeps it; recording the meeting removes it; another person signing in on the same browser
never sees it, and its author still does after signing out and in again."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from qa_portal.roles import Role
from reviews import meetings
from reviews.models import ComplianceArea
from tests.axe import assert_accessible
from tests.factories import UserFactory
from tests.pages import fill_date
from tests.reviews.test_meetings import place
from tests.signin import sign_in, sign_in_on_this_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESTORED = re.compile(
    r"We restored text you typed here on \d{1,2} \w+ \d{4} at (\d{1,2}(:\d\d)?[ap]m|midday|midnight) "
    r"that was not saved\. Check it, then save\."
)
ATTENDEES = "Sam Okafor, commissioning officer\nDee Brown, registered manager"
SUCCESSES = "Both young people are in education."
DRAFTS = "() => Object.keys(localStorage).filter((key) => key.startsWith('qa-portal:draft:'))"


@pytest.fixture
def meeting(provider, commissioning_officer):
    place(provider, 1, initials=["JB"])
    return meetings.meeting_schedule(
        provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=commissioning_officer
    )


def record_url(meeting):
    return f"/reviews/{meeting.pk}/record/"


def type_the_attendees(page, meeting):
    page.goto(record_url(meeting))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the review meeting")
    page.get_by_label("Who attended").fill(ATTENDEES)
    page.get_by_label("The provider's successes").fill(SUCCESSES)
    page.wait_for_function(f"() => ({DRAFTS})().length === 1")  # a function: the page allows no eval


def sign_out(page):
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to QA Portal")


def test_a_typed_meeting_record_survives_a_closed_tab_and_goes_once_recorded(page, commissioning_officer, meeting):
    sign_in(page, commissioning_officer.email)
    type_the_attendees(page, meeting)
    context = page.context
    page.close()

    page = context.new_page()
    page.goto(record_url(meeting))
    banner = page.locator("[data-draft-restored]")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(RESTORED)
    expect(page.get_by_label("Who attended")).to_have_value(ATTENDEES)
    expect(page.get_by_label("The provider's successes")).to_have_value(SUCCESSES)
    assert_accessible(page)

    # Sent with a mistake: the form comes back filled by the server, with no banner, and the draft stays.
    fill_date(page, "Date held", timezone.localdate() - timedelta(days=1))
    page.get_by_label("Time it started").fill("10:30")
    for area in ComplianceArea:
        page.get_by_role("group", name=f"{area.label}: RAG rating").get_by_label("Green", exact=True).check()
    page.get_by_label("Complaints: Number of complaints").fill("three")
    page.get_by_label("Safeguarding notifications: Number of safeguarding notifications").fill("1")
    page.get_by_label("LADO referrals: Number of LADO referrals").fill("0")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the number of complaints")
    expect(page.locator("[data-draft-restored]")).to_have_count(0)
    expect(page.get_by_label("Who attended")).to_have_value(ATTENDEES)
    assert len(page.evaluate(DRAFTS)) == 1

    page.get_by_label("Complaints: Number of complaints").fill("3")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Review meeting recorded")
    assert page.evaluate(DRAFTS) == []


def test_a_draft_is_kept_for_its_author_only(page, commissioning_officer, meeting):
    colleague = UserFactory(role=Role.COMMISSIONING_OFFICER, full_name="Ade Bello")
    sign_in(page, commissioning_officer.email)
    type_the_attendees(page, meeting)
    sign_out(page)

    sign_in(page, colleague.email)
    page.goto(record_url(meeting))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the review meeting")
    expect(page.get_by_label("Who attended")).to_have_value("")
    expect(page.locator("[data-draft-restored]")).to_have_count(0)
    sign_out(page)

    sign_in(page, commissioning_officer.email)
    page.goto(record_url(meeting))
    expect(page.locator("[data-draft-restored]")).to_have_text(RESTORED)
    expect(page.get_by_label("Who attended")).to_have_value(ATTENDEES)

    # Discarded, the form shows what the server has, and the draft is gone.
    page.get_by_role("button", name="Discard restored text").click()
    expect(page.locator("[data-draft-restored]")).to_have_count(0)
    expect(page.get_by_label("Who attended")).to_have_value("")
    assert page.evaluate(DRAFTS) == []


def test_text_typed_when_the_session_ends_comes_back_after_signing_in(page, commissioning_officer, meeting, settings):
    # The warning opens half-way (8 seconds after the page arrives) and makes the page behind it inert:
    # a busy machine must have time to load the form and type into it first (at 10 seconds, CI's once
    # did not, and the typing went nowhere).
    settings.SESSION_COOKIE_AGE = 16
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 8
    sign_in(page, commissioning_officer.email)
    page.goto(record_url(meeting))
    page.get_by_label("Who attended").fill(ATTENDEES)
    expect(page.get_by_label("Who attended")).to_have_value(ATTENDEES)

    expect(page).to_have_url(re.compile(rf"/sign-in/\?next={record_url(meeting)}$"), timeout=30_000)
    sign_in_on_this_page(page, commissioning_officer)

    expect(page.get_by_role("heading", level=1)).to_have_text("Record the review meeting")
    expect(page.locator("[data-draft-restored]")).to_have_text(RESTORED)
    expect(page.get_by_label("Who attended")).to_have_value(ATTENDEES)
