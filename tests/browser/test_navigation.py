"""In a real browser: the service navigation is one line high at 1366 pixels wide for every role, the
service's name on the same line (issue 14: the QA lead's ten items wrapped, Committee pack and Jobs on a
second line); related pages share one item and list each other in a sub-navigation; at 320 pixels the
navigation folds into GOV.UK's Menu button."""

import pytest
from playwright.sync_api import expect

from qa_portal.roles import Role
from tests.axe import assert_accessible
from tests.reporting.test_home import NAVIGATION
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The top and bottom of the service's name and of each item of the navigation, in pixels.
ROWS = """() => [
  document.querySelector('.govuk-service-navigation__service-name'),
  ...document.querySelectorAll('.govuk-service-navigation__item'),
].map((e) => { const r = e.getBoundingClientRect(); return [e.innerText.trim(), r.top, r.bottom]; })"""


@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_the_navigation_is_one_line_high_at_1366_for_every_role(page, user_with_role):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, user_with_role.email)
    rows = page.evaluate(ROWS)
    assert [label for label, _, _ in rows[1:]] == NAVIGATION[user_with_role.primary_role]
    tops = {label: round(top) for label, top, _ in rows}
    assert max(tops.values()) - min(tops.values()) <= 2, f"not on one line: {tops}"
    tallest = max(bottom - top for _, top, bottom in rows)
    height = page.locator(".govuk-service-navigation__container").bounding_box()["height"]
    assert height <= tallest + 2, f"the navigation is {height} px high, one item {tallest} px"
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_pages_that_share_an_item_list_each_other(page, qa_lead):
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in(page, qa_lead.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Commissioning review meetings")
    reviews = page.get_by_role("navigation", name="Reviews")
    expect(reviews.get_by_role("link")).to_have_text(["Review meetings", "Compliance"])
    expect(reviews.get_by_role("link", name="Review meetings")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    reviews.get_by_role("link", name="Compliance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance overview")
    expect(page.get_by_role("navigation", name="Reviews").get_by_role("link", name="Compliance")).to_have_attribute(
        "aria-current", "page"
    )
    # The service navigation still shows where the page belongs.
    current = page.get_by_role("navigation", name="Menu").locator("[aria-current=page]")
    expect(current).to_have_text("Reviews")
    assert_accessible(page)


def test_at_320_the_navigation_folds_into_a_menu_button(page, qa_lead):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, qa_lead.email)
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Committee pack")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(menu.get_by_role("link", name="Committee pack")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    menu.get_by_role("link", name="Tracker").click()
    expect(page.get_by_role("navigation", name="Tracker").get_by_role("link")).to_have_text(
        ["Recommendations", "Action plans", "You said, we did"]
    )
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(page)
