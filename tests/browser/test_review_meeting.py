"""In a real browser: a commissioning officer schedules a review meeting, prepares for it, records
it with the compliance checklist and an outcome, and sees the provider's next review move on."""

import re
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from qa_portal.working_days import working_day_on_or_after, working_day_on_or_before
from reviews.models import ComplianceArea
from tests.axe import assert_accessible
from tests.factories import ConcernFactory, PlacementFactory, YoungPersonFactory
from tests.pages import choose_option, fill_date
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def placed(provider):
    """Two young people placed with the provider: a half-yearly review."""
    start = timezone.localdate() - timedelta(days=300)
    people = [
        YoungPersonFactory(initials="JB", case_record_id="7300001"),
        YoungPersonFactory(initials="KM", case_record_id="7300002", cohort="care_leaver"),
    ]
    for person in people:
        PlacementFactory(young_person=person, provider=provider, start_date=start)
    return people


def test_schedule_prepare_and_record_a_review_meeting(page, commissioning_officer, provider, placed):
    today = timezone.localdate()
    held_on = today - timedelta(days=1)
    jb = placed[0]
    ConcernFactory(provider=provider, received_on=today - timedelta(days=20), summary="Night staff asleep on shift.")

    sign_in(page, commissioning_officer.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissioning review meetings")
    expect(page.get_by_role("table", name=re.compile("no meeting scheduled"))).to_contain_text(provider.name)
    assert_accessible(page)

    page.get_by_role("link", name="Schedule a meeting").first.click()
    choose_option(page, "Provider", provider.name)
    fill_date(page, "Due date", working_day_on_or_after(today + timedelta(days=7)))
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Review meeting with {provider.name} scheduled")
    expect(page.get_by_role("heading", level=1)).to_have_text(provider.name)

    page.get_by_role("link", name="Prepare for the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(provider.name)
    expect(page.get_by_text("Night staff asleep on shift.")).to_be_visible()
    expect(page.get_by_role("link", name="Download the agenda (PDF)")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Record the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the review meeting")
    assert_accessible(page)
    fill_date(page, "Date held", held_on)
    page.get_by_label("Time it started").fill("10:30")
    page.get_by_label("Who attended").fill("Sam Okafor, commissioning officer\nDee Brown, registered manager")
    page.get_by_label("The provider's successes").fill("Both young people are in education.")
    for area in ComplianceArea:
        rating = "Amber" if area == ComplianceArea.STAFF_RETENTION else "Green"
        page.get_by_role("group", name=f"{area.label}: RAG rating").get_by_label(rating, exact=True).check()
    page.get_by_label("Complaints: Number of complaints").fill("three")
    page.get_by_label("Safeguarding notifications: Number of safeguarding notifications").fill("1")
    page.get_by_label("LADO referrals: Number of LADO referrals").fill("0")
    page.get_by_label(f"JB, aged {jb.age}: Outcome notes").fill("Settled; wants help to learn to drive.")
    page.get_by_label("Put these notes on JB's case record").check()
    page.get_by_role("button", name="Record the meeting").click()

    # "three" is refused beside the field, with everything else as typed.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the number of complaints as a whole number, like 0 or 3")
    expect(page).to_have_title(re.compile(r"^Error: Record the review meeting"))
    expect(page.get_by_label("Complaints: Number of complaints")).to_have_value("three")
    expect(page.get_by_label(f"JB, aged {jb.age}: Outcome notes")).to_have_value(
        "Settled; wants help to learn to drive."
    )
    expect(
        page.get_by_role("group", name="Staff retention: RAG rating").get_by_label("Amber", exact=True)
    ).to_be_checked()
    assert_accessible(page)
    summary.get_by_role("link", name=re.compile("number of complaints")).click()
    expect(page.get_by_label("Complaints: Number of complaints")).to_be_focused()
    page.get_by_label("Complaints: Number of complaints").fill("3")
    page.get_by_role("button", name="Record the meeting").click()

    next_due = working_day_on_or_before(held_on + relativedelta(months=6))
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"The next review is due on {next_due:%-d %B %Y}"
    )
    checklist = page.get_by_role("table", name="Contractual compliance checklist")
    expect(checklist.get_by_role("row", name=re.compile("Staff retention"))).to_contain_text("Amber")
    expect(checklist.get_by_role("row", name=re.compile("Complaints"))).to_contain_text("3")
    expect(page.get_by_role("table", name=re.compile("Outcomes for young people"))).to_contain_text(
        "Settled; wants help to learn to drive."
    )

    page.get_by_role("link", name=provider.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(provider.name)
    next_review = page.locator(".govuk-summary-list__row", has_text="Next review due")
    expect(next_review).to_contain_text(f"{next_due:%-d %B %Y}")
    expect(page.locator(".govuk-summary-list__row", has_text="Last review held")).to_contain_text(
        f"{held_on:%-d %B %Y}"
    )
