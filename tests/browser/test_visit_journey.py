"""In a real browser: a visit from plan to finalised report, with autosave surviving a reload
and a dropped connection."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.axe import assert_accessible
from tests.factories import PlacementFactory, YoungPersonFactory
from tests.pages import choose_option, fill_date
from tests.signin import sign_in
from visits.models import TemplateSection, VisitTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def placed(provider):
    person = YoungPersonFactory(initials="JB", case_record_id="7200001")
    PlacementFactory(young_person=person, provider=provider, start_date=timezone.localdate() - timedelta(days=300))
    return person


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def fill_section(page):
    """Answer every question on the current section page."""
    for box in page.locator("textarea").all():
        if not box.input_value():
            box.fill("Seen and discussed with the young person and the manager.")
    for group in page.locator(".govuk-radios").all():
        group.locator("input[type=radio]").first.check()


def test_plan_write_submit_share_respond_finalise_and_download(
    page, browser, live_server, senior_leader, qa_lead, provider_user, provider, placed
):
    sign_in(page, senior_leader.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Visits").click()
    page.get_by_role("link", name="Plan a visit").click()
    choose_option(page, "Provider", provider.name)
    fill_date(page, "Planned date", timezone.localdate() - timedelta(days=2))
    page.get_by_label("Lead visitor's role").fill("Assistant Director, People's Services")
    page.get_by_label("Arranged with the provider").check()
    page.get_by_label("SEND or other vulnerability").check()
    page.get_by_role("button", name="Plan the visit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(provider.name)
    assert_accessible(page)
    visit_url = page.url

    # Section 4: type, let it save itself, reload, and find the text there.
    page.get_by_role("link", name="4. Young people's views, in their own words").click()
    box = page.get_by_label("What they like")
    box.fill("The garden, and that staff knock before coming in.")
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at", timeout=15000)
    page.reload()
    expect(page.get_by_label("What they like")).to_have_value("The garden, and that staff knock before coming in.")
    assert_accessible(page)

    # A dropped connection: what is typed stays on the laptop and is saved when it returns.
    page.context.set_offline(True)
    page.get_by_label("What they would change").fill("More trips at the weekend.")
    expect(page.locator("[data-save-status]")).to_contain_text("no connection", timeout=15000)
    page.context.set_offline(False)
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at", timeout=20000)
    page.reload()
    expect(page.get_by_label("What they would change")).to_have_value("More trips at the weekend.")

    # Complete every section and submit.
    page.goto(visit_url)
    page.get_by_role("link", name="1. About the visit").click()
    fill_date(page, "Date of the visit", timezone.localdate() - timedelta(days=1))
    for _ in range(8):
        fill_section(page)
        if page.get_by_label("JB, aged", exact=False).count():
            page.get_by_label("JB, aged", exact=False).check()
        if page.get_by_role("button", name="Save and continue").count() == 0:
            break
        number = page.locator("h1").inner_text().split(".")[0]
        page.get_by_role("button", name="Save and continue").click()
        # The banner of this section's save (a Save pressed while an answer autosaves waits for it).
        expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Section {number} saved")
        if page.locator("h1").inner_text().startswith("9."):
            break
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Provider's service").check()
    page.get_by_label("Recommendation", exact=True).fill(
        "Agree a weekend activity plan with each young person by March."
    )
    page.get_by_label("Owner").select_option(label=f"{senior_leader.full_name}, {senior_leader.job_title}")
    fill_date(page, "Due date", timezone.localdate() + timedelta(days=60))
    page.get_by_role("button", name="Save recommendation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Recommendation added")
    page.goto(visit_url)
    page.get_by_role("link", name="Check your answers and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting the visit")
    assert_accessible(page)
    page.get_by_role("button", name="Submit the visit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Visit submitted to the QA lead")
    sign_out(page)

    sign_in(page, qa_lead.email)
    page.goto(visit_url)
    page.get_by_role("link", name="Check and share the report with the provider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what the provider will receive")
    expect(page.locator(".app-report-preview")).to_contain_text("The garden, and that staff knock before coming in.")
    expect(page.locator("#recipients")).to_contain_text(provider_user.email)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and share the report with the provider").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report shared with the provider")
    sign_out(page)

    sign_in(page, provider_user.email)
    page.goto(visit_url)
    page.get_by_role("link", name="Respond to the report").click()
    expect(page.get_by_label("Your comments on the report")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your comments on the report").fill("Thank you for a thoughtful visit; we will act on this.")
    page.get_by_label("Yes").check()
    page.get_by_label("The action you will take").fill("Weekend plans agreed at key-work sessions.")
    fill_date(page, "By when", timezone.localdate() + timedelta(days=30))
    page.get_by_role("button", name="Send your response").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("your response has been sent")
    sign_out(page)

    sign_in(page, qa_lead.email)
    page.goto(visit_url)
    page.get_by_role("button", name="Finalise the report").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Report finalised")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.evaluate(
            f"() => {{ const a = document.createElement('a'); a.href = '{visit_url}report.pdf'; a.download = 'r.pdf'; document.body.append(a); a.click(); }}"
        )
    pdf = PdfReader(download_info.value.path())
    text = "\n".join(p.extract_text() for p in pdf.pages)
    flat = re.sub(r"\s+", " ", text)
    template = VisitTemplate.objects.get(status="published")
    for section in TemplateSection.objects.filter(template=template):
        assert f"{section.number}. {section.title}" in flat, section.title
    assert "Thank you for a thoughtful visit; we will act on this." in flat
    assert "The garden, and that staff knock before coming in." in flat
