"""In a real browser (issue 16, "Done when"): a provider user writes an action plan, the commissioning
officer returns it with a comment, the provider revises it, and the council accepts it; the plan's
history shows each step with who took it and when."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews import action_plans as services
from tests.axe import assert_accessible
from tests.factories import VisitFactory
from tests.pages import fill_date
from tests.signin import sign_in
from visits.models import VisitStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "Say who checks the fire doors each week, and by when the boiler is replaced."


@pytest.fixture
def plan(provider, commissioning_officer, provider_user):
    visit = VisitFactory(provider=provider, status=VisitStatus.SHARED, visit_date=timezone.localdate() - timedelta(9))
    return services.request_action_plan(provider=provider, source="visit", record=visit, by=commissioning_officer)


def sign_out(page):
    page.get_by_role("banner").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in/"))


def add_action(page, text, responsible, by):
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill(text)
    page.get_by_label("Person responsible").fill(responsible)
    fill_date(page, "To be done by", by)
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Action plan \d+"))


def test_the_provider_writes_the_council_returns_the_provider_revises_and_the_council_accepts(
    page, plan, provider_user, commissioning_officer
):
    today = timezone.localdate()
    # The provider writes the plan: two actions, then submits it.
    sign_in(page, provider_user.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Your action plans").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your action plans")
    page.get_by_role("link", name=f"Action plan {plan.pk}").click()
    expect(page.locator("#plan-status")).to_contain_text("Requested")
    add_action(page, "Replace the boiler", "Dee Grant, registered manager", today + timedelta(days=30))
    # A date in the past is refused beside its box, and the text typed is kept.
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Action", exact=True).fill("Fire door checks")
    page.get_by_label("Person responsible").fill("Dee Grant")
    fill_date(page, "To be done by", today - timedelta(days=3))
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("alert")).to_contain_text("The date must be today or later")
    expect(page.get_by_label("Action", exact=True)).to_have_value("Fire door checks")
    assert_accessible(page)
    fill_date(page, "To be done by", today + timedelta(days=7))
    page.get_by_role("button", name="Save the action").click()
    actions = page.get_by_role("table", name="Actions")
    expect(actions.locator("tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Submit the plan to the council").click()
    expect(page.locator("#plan-status")).to_contain_text("Submitted")
    sign_out(page)

    # The commissioning officer returns it with a comment.
    sign_in(page, commissioning_officer.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Tracker").click()
    page.get_by_role("navigation", name="Tracker").get_by_role("link", name="Action plans").click()
    page.get_by_role("link", name=re.compile(f"Action plan {plan.pk}")).first.click()
    page.get_by_role("link", name="Return it with comments").click()
    page.get_by_role("button", name="Return it to the provider").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what needs to change")
    page.get_by_label("What needs to change").fill(COMMENT)
    page.get_by_role("button", name="Return it to the provider").click()
    expect(page.locator("#plan-status")).to_contain_text("Returned for changes")
    sign_out(page)

    # The provider sees the comment, revises an action and submits it again.
    sign_in(page, provider_user.email)
    page.goto(plan.get_absolute_url())
    expect(page.locator("#returned-comments")).to_contain_text(COMMENT)
    page.get_by_role("link", name=re.compile("Change the action “Fire door checks")).click()
    page.get_by_label("Person responsible").fill("Ann Lee, deputy manager, every Monday")
    page.get_by_role("button", name="Save the action").click()
    expect(page.get_by_role("table", name="Actions")).to_contain_text("Ann Lee, deputy manager, every Monday")
    page.get_by_role("button", name="Submit the revised plan").click()
    expect(page.locator("#plan-status")).to_contain_text("Submitted")
    sign_out(page)

    # The council accepts it, with the re-check six months on.
    sign_in(page, commissioning_officer.email)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Accept the plan").click()
    page.get_by_role("button", name="Accept the action plan").click()
    expect(page.locator("#plan-status")).to_contain_text("Accepted")
    assert_accessible(page)

    history = page.locator("#plan-history li")
    expected = [
        ("Requested", "Sam Okafor"),
        ("Submitted", "Jo Marsh (Harbour Lights Fostering)"),
        ("Returned with comments", "Sam Okafor"),
        ("Revised", "Jo Marsh (Harbour Lights Fostering)"),
        ("Submitted", "Jo Marsh (Harbour Lights Fostering)"),
        ("Accepted", "Sam Okafor"),
    ]
    expect(history).to_have_count(len(expected))
    day = f"{today:%-d %B %Y}"
    for item, (step, who) in zip(history.all(), expected, strict=True):
        expect(item).to_contain_text(step)
        expect(item).to_contain_text(f"{who}, {day}")
    expect(history.nth(2)).to_contain_text(COMMENT)


def test_a_long_unbroken_address_in_an_action_wraps_on_a_narrow_screen(
    page, plan, provider_user, commissioning_officer
):
    today = timezone.localdate()
    address = "https://example.org/fire-safety/" + "weeklychecks" * 20
    services.plan_action_add(plan=plan, by=provider_user, text="Boiler", responsible="Dee Grant", timescale=today)
    services.action_plan_submit(plan=plan, by=provider_user)
    services.action_plan_return(plan=plan, by=commissioning_officer, comment=f"See {address}", due=today)
    # Added to a returned plan: in the actions and in the history.
    services.plan_action_add(
        plan=plan, by=provider_user, text=f"Follow {address}", responsible="Dee Grant", timescale=today
    )
    sign_in(page, provider_user.email)
    page.goto(plan.get_absolute_url())
    expect(page.get_by_role("table", name="Actions")).to_contain_text(address)
    # On a laptop the address wraps in its cell: each action's link to change it stays in view.
    for link in page.get_by_role("link", name=re.compile("Change the action")).all():
        box = link.bounding_box()
        assert box["x"] + box["width"] <= page.viewport_size["width"]
    # On a phone the page is no wider than the window (the history's copy wraps too).
    page.set_viewport_size({"width": 320, "height": 640})
    expect(page.locator("#plan-history")).to_contain_text(f"Added an action: Follow {address}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
