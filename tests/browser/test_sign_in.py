"""In a real browser: each role signs in and lands on its own home, with no accessibility violations."""

import re

import pytest
from playwright.sync_api import expect

from qa_portal.roles import Role
from tests.axe import assert_accessible
from tests.reporting.test_home import HOME_HEADINGS, NAVIGATION
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_sign_in_page_is_accessible(page):
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to QA Portal")
    assert_accessible(page)


def test_a_failed_sign_in_shows_the_error_summary_and_keeps_the_email(page, qa_lead):
    sign_in(page, qa_lead.email, "wrong-password")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The email address or password is not right")
    expect(page.get_by_label("Email address")).to_have_value(qa_lead.email)
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert_accessible(page)


@pytest.mark.parametrize("user_with_role", list(Role), indirect=True)
def test_each_role_signs_in_to_its_own_home(page, user_with_role):
    role = user_with_role.primary_role
    sign_in(page, user_with_role.email)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[role])
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link")).to_have_text(NAVIGATION[role])
    expect(page.get_by_text(f"Signed in as {user_with_role.full_name}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to QA Portal")
