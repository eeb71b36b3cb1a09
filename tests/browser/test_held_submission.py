"""In a real browser, with and without JavaScript: a commissioning officer records a review meeting, is
signed out before pressing the button, reads on the sign-in page why, signs in, and finds the form
filled as they typed it, not yet saved."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reviews import meetings
from reviews.models import MeetingStatus
from tests.axe import assert_accessible
from tests.reviews.test_meetings import place
from tests.signin import sign_in, sign_in_on_this_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(provider, commissioning_officer):
    place(provider, 2, initials=["JB", "KM"])
    return meetings.meeting_schedule(
        provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=commissioning_officer
    )


@pytest.fixture
def page_without_javascript(browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _record_after_the_session_ends(page, user, meeting, *, check_accessible):
    sign_in(page, user.email)
    page.goto(reverse("reviews:meeting_record", args=[meeting.pk]))
    page.get_by_label("Time it started").fill("10:30")
    page.get_by_label("Who attended").fill("Sam Okafor, commissioning officer\nDee Brown, registered manager")
    page.get_by_label("The provider's successes").fill("Both young people are in education.")
    staff_retention = page.get_by_role("group", name="Staff retention: RAG rating")
    staff_retention.get_by_label("Amber", exact=True).check()

    Session.objects.all().delete()  # 30 minutes idle: the portal has signed them out
    page.get_by_role("button", name="Record the meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to QA Portal")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You were signed out because you had not used the portal for 30 minutes. What you typed has been kept: "
        "sign in and it will be put back in the form for you to check and save."
    )
    if check_accessible:
        assert_accessible(page)
    sign_in_on_this_page(page, user)

    expect(page.get_by_role("heading", level=1)).to_have_text("Record the review meeting")
    expect(page).to_have_url(re.compile(rf"/reviews/{meeting.pk}/record/\?held="))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "We kept what you typed before you were signed out. Check it, then press “Record the meeting” to save it."
    )
    expect(page.get_by_label("Time it started")).to_have_value("10:30")
    expect(page.get_by_label("Who attended")).to_have_value(
        "Sam Okafor, commissioning officer\nDee Brown, registered manager"
    )
    expect(page.get_by_label("The provider's successes")).to_have_value("Both young people are in education.")
    expect(staff_retention.get_by_label("Amber", exact=True)).to_be_checked()
    if check_accessible:
        assert_accessible(page)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED  # nothing saved behind their back


def test_a_meeting_record_typed_before_the_session_ended_comes_back_after_signing_in(
    page, commissioning_officer, meeting
):
    _record_after_the_session_ends(page, commissioning_officer, meeting, check_accessible=True)


def test_without_javascript_too(page_without_javascript, commissioning_officer, meeting):
    _record_after_the_session_ends(page_without_javascript, commissioning_officer, meeting, check_accessible=False)
