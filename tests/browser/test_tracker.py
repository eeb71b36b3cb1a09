"""In a real browser: the QA lead runs the monthly tracking meeting from the tracker, records progress
on one overdue recommendation and completes another, which then shows as completed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import ProgressUpdate
from tests.axe import assert_accessible
from tests.factories import RecommendationFactory, VisitFactory, YoungPersonFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMPACT = "JB now gets to college on her own and has not missed a day this term."


@pytest.fixture
def recommendations(provider, qa_lead, senior_leader):
    today = timezone.localdate()
    visit = VisitFactory(provider=provider)
    first = RecommendationFactory(
        visit=visit,
        text="Agree an evening activities plan with each young person.",
        owner=senior_leader,
        due_date=today - timedelta(days=30),
    )
    ProgressUpdate.objects.create(recommendation=first, text="Manager asked for ideas", status_after="open", by=qa_lead)
    second = RecommendationFactory(
        visit=visit,
        level="child",
        young_person=YoungPersonFactory(initials="JB"),
        text="Arrange travel training so JB can get to college on her own.",
        owner=qa_lead,
        due_date=today - timedelta(days=5),
    )
    later = RecommendationFactory(
        visit=visit, text="Replace the garden fence.", owner=qa_lead, due_date=today + timedelta(days=40)
    )
    return first, second, later


def test_the_monthly_meeting_records_progress_and_completes_with_an_impact_statement(page, qa_lead, recommendations):
    first, second, _later = recommendations
    sign_in(page, qa_lead.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Tracker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation and Impact Tracker")
    table = page.get_by_role("table", name="Recommendations, soonest due first")
    expect(table.locator("tbody tr")).to_have_count(3)
    assert_accessible(page)

    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).not_to_contain_text("Replace the garden fence.")
    expect(page.locator("p[role=status]")).to_contain_text("2 recommendations: Open and in progress, overdue only")

    page.get_by_role("link", name="Start the monthly meeting").click()
    expect(page.locator(".govuk-caption-l")).to_have_text("Monthly tracking meeting: 1 of 2")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Recommendation {first.pk}")
    expect(page.get_by_text("Manager asked for ideas")).to_be_visible()
    assert_accessible(page)

    # Progress on the first: it stays on the list, and the meeting moves on to the next.
    page.get_by_label("Progress since the last meeting").fill("Plans agreed with two of the three young people.")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save and go to the next").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Progress saved on recommendation {first.pk}")
    expect(page.locator(".govuk-caption-l")).to_have_text("Monthly tracking meeting: 2 of 2")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Recommendation {second.pk}")

    # Completing the second without an impact statement is refused, beside the field, keeping the note.
    page.get_by_label("Progress since the last meeting").fill("Travel trainer has finished.")
    page.get_by_label("Completed").check()
    impact = page.get_by_label("What difference did this make for the child or young person?")
    expect(impact).to_be_visible()
    page.get_by_role("button", name="Save and go to the next").click()
    expect(page).to_have_title(re.compile(r"^Error: Monthly tracking meeting"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Say what difference this made for the child before completing it")
    expect(page.locator("#id_impact_statement_1_error")).to_contain_text(
        "Say what difference this made for the child before completing it"
    )
    expect(page.get_by_label("Progress since the last meeting")).to_have_value("Travel trainer has finished.")
    expect(page.get_by_label("Completed")).to_be_checked()
    assert_accessible(page)

    summary.get_by_role("link").click()
    expect(impact).to_be_focused()
    impact.fill(IMPACT)
    page.get_by_role("button", name="Save and go to the next").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Recommendation {second.pk} completed")
    expect(page.get_by_role("heading", level=1)).to_have_text("That was the last recommendation")

    # Back in the tracker, it shows as completed.
    page.get_by_role("link", name="Back to the tracker").first.click()
    page.get_by_label("Overdue only").uncheck()
    page.get_by_label("Status").select_option(label="Completed")
    page.get_by_role("button", name="Apply filters").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr")).to_contain_text("Arrange travel training so JB")
    expect(table.locator("tbody tr")).to_contain_text("Completed")

    table.get_by_role("link", name=re.compile("Arrange travel training")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Recommendation {second.pk}")
    expect(page.get_by_text(IMPACT).first).to_be_visible()
    assert_accessible(page)


def test_the_detail_and_complete_pages_are_accessible(page, qa_lead, recommendations):
    first, _, _ = recommendations
    sign_in(page, qa_lead.email)
    page.goto(f"/recommendations/{first.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Recommendation {first.pk}")
    assert_accessible(page)
    page.get_by_role("link", name=f"Complete recommendation {first.pk}").click()
    page.get_by_role("button", name="Complete the recommendation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say what difference this made for the child before completing it"
    )
    assert_accessible(page)


def test_the_owner_and_provider_filters_are_typed_into_and_filter_the_list(
    page, qa_lead, senior_leader, provider, other_provider, recommendations
):
    # Hundreds of people and a thousand providers at a consortium's size: each list is an
    # accessible-autocomplete over its select, which is still what the filter form sends.
    theirs = RecommendationFactory(
        visit=VisitFactory(provider=other_provider), text="Review the fire drill log.", owner=senior_leader
    )
    sign_in(page, qa_lead.email)
    page.goto("/tracker/")
    table = page.get_by_role("table", name="Recommendations, soonest due first")
    expect(table.locator("tbody tr")).to_have_count(4)

    provider_box = page.get_by_role("combobox", name="Provider", exact=True)
    provider_box.fill(other_provider.name[:5])
    expect(page.get_by_role("option", name=other_provider.name)).to_be_visible()
    expect(page.get_by_role("option", name=provider.name)).to_have_count(0)
    assert_accessible(page)  # with the list of options open
    page.get_by_role("option", name=other_provider.name).click()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"[?&]provider={other_provider.pk}(&|$)"))
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(theirs.text)
    expect(page.get_by_role("combobox", name="Provider", exact=True)).to_have_value(other_provider.name)

    # Cleared, the provider no longer narrows the list; the owner does.
    page.get_by_role("combobox", name="Provider", exact=True).fill("")
    owner_box = page.get_by_role("combobox", name="Owner", exact=True)
    owner_box.fill(senior_leader.full_name.split()[-1])
    page.get_by_role("option", name=senior_leader.full_name).click()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(rf"[?&]owner={senior_leader.pk}(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]provider=(&|$)"))
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table).to_contain_text(theirs.text)
    expect(table).to_contain_text("Agree an evening activities plan")
