"""In a real browser: an administrator changes the visit template in the portal, from making a draft to
publishing it, with the keyboard where it matters (the move buttons), and every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests.axe import assert_accessible
from tests.signin import sign_in
from visits.models import TemplateStatus, VisitTemplate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _card(page, title):
    return page.locator(".govuk-summary-card").filter(has=page.get_by_role("heading", name=title, exact=True))


def test_an_administrator_adds_reorders_previews_and_publishes(page, administrator):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, administrator)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Visit template").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit template")
    assert_accessible(page)

    page.get_by_role("button", name="Make a draft to change it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 2 Draft")
    assert_accessible(page)

    page.get_by_role("link", name="Add a section").click()
    expect(page.get_by_label("Put it after")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Title").fill("Education at the home")
    page.get_by_label("Guidance for visitors (optional)").fill("Where and how the young people study")
    assert_accessible(page)
    page.get_by_role("button", name="Add the section").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Section 8, “Education at the home”, added")
    card = _card(page, "8. Education at the home")

    # A choice question with one choice: the message beside the box, the text kept.
    card.get_by_role("link", name="Add a question to section 8").click()
    page.get_by_label("Question", exact=True).fill("Where do they do their homework?")
    page.get_by_label("Choice", exact=True).check()
    page.get_by_label("Choices, for a choice question").fill("At a desk")
    page.get_by_label("No, it can be left blank").check()
    page.get_by_role("button", name="Add the question").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a question"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter at least two choices, one a line")
    expect(page.locator("#id_choices_1_error")).to_contain_text("Enter at least two choices")
    expect(page.get_by_label("Question", exact=True)).to_have_value("Where do they do their homework?")
    assert_accessible(page)
    page.get_by_label("Choices, for a choice question").fill("At a desk\nAt the kitchen table\nAt school")
    page.get_by_role("button", name="Add the question").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Question 8.1 added")

    card = _card(page, "8. Education at the home")
    card.get_by_role("link", name="Add a question to section 8").click()
    page.get_by_label("Question", exact=True).fill("Is there a quiet place to study?")
    page.get_by_label("Yes or no").check()
    page.get_by_role("button", name="Add the question").click()

    # Reordered by keyboard: the button named for the question it moves.
    move = page.get_by_role("button", name="Move up question 8.2")
    move.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "“Is there a quiet place to study?” moved up: it was question 8.2, now 8.1"
    )
    card = _card(page, "8. Education at the home")
    expect(card.locator(".govuk-summary-list__key")).to_have_text(
        ["8.1 Is there a quiet place to study?", "8.2 Where do they do their homework?"]
    )
    page.get_by_role("button", name="Move up section 8, Education at the home").press("Enter")
    expect(_card(page, "7. Education at the home")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Preview as a visitor sees it").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("1. About the visit")
    assert_accessible(page)
    page.get_by_role("navigation", name="Sections of the report").get_by_role(
        "link", name="7. Education at the home"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("7. Education at the home")
    expect(page.get_by_role("group", name="Where do they do their homework?")).to_contain_text("At the kitchen table")
    page.get_by_label("At the kitchen table").check()  # it works as it will for a visitor; nothing is saved
    assert_accessible(page)
    page.get_by_role("link", name="Back to version 2").first.click()

    page.get_by_role("link", name="Check and publish").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and publish version 2")
    expect(page.locator("main")).to_contain_text("Section 7, “Education at the home”, is new")
    assert_accessible(page)
    page.get_by_role("button", name="Publish this version").click()
    expect(page.locator("#id_notes_1_error")).to_contain_text("Say what changed in this version")
    assert_accessible(page)
    page.get_by_label("What changed in this version").fill("A section on education at the home")
    page.get_by_role("button", name="Publish this version").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Visit template")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2 published")
    assert VisitTemplate.objects.get(version=2).status == TemplateStatus.PUBLISHED
    assert VisitTemplate.objects.get(version=1).status == TemplateStatus.RETIRED
    assert_accessible(page)


def test_an_administrator_discards_a_draft(page, administrator):
    sign_in(page, administrator)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Visit template").click()
    page.get_by_role("button", name="Make a draft to change it").click()
    page.get_by_role("link", name="Add a section").click()
    page.get_by_label("Title").fill("Education at the home")
    page.get_by_role("button", name="Add the section").click()

    page.get_by_role("link", name="Discard this draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discard version 2?")
    expect(page.locator("main")).to_contain_text("“Education at the home”, is new")
    assert_accessible(page)
    page.get_by_role("button", name="Discard this draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Visit template")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Version 2, the draft, discarded")
    expect(page.get_by_role("button", name="Make a draft to change it")).to_be_visible()
    assert list(VisitTemplate.objects.values_list("version", "status")) == [(1, TemplateStatus.PUBLISHED)]
    assert_accessible(page)
