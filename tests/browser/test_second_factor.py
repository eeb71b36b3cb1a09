"""In a real browser: the first sign-in sets up an authenticator app from the QR code's key and shows
the recovery codes; later sign-ins ask for the code; staff sign in with the council's account at a
real OpenID provider. Every page passes axe."""

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from qa_portal.roles import Role
from tests.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.qa_portal.test_council_sign_in import use_council_provider
from tests.reporting.test_home import HOME_HEADINGS
from tests.signin import current_code, enter_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def enter_password(page, user):
    page.goto("/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_first_sign_in_sets_up_the_app_then_shows_the_recovery_codes(page, provider):
    user = UserFactory(role=Role.PROVIDER_USER, provider=provider, authenticator=False)
    enter_password(page, user)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    assert_accessible(page)

    page.get_by_text("I cannot scan the QR code").click()
    key = page.locator("#authenticator-key").inner_text()
    page.get_by_label("Enter the 6-digit code the app shows").fill(
        f"{TOTP(b32decode(key.replace(' ', ''))).token():06d}"
    )
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.locator(".app-recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("button", name="I have saved my recovery codes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[Role.PROVIDER_USER])


def test_a_wrong_code_is_explained_and_the_right_one_signs_in(page, administrator):
    enter_password(page, administrator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the 6-digit code from your authenticator app")
    expect(page.get_by_role("navigation", name="Menu")).to_have_count(0)
    enter_code(page, "12345")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the code as 6 numbers, like 123456")
    expect(page).to_have_title(re.compile(r"^Error: Enter the 6-digit code"))
    assert_accessible(page)
    enter_code(page, current_code(administrator))
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[Role.ADMINISTRATOR])


def test_a_staff_member_signs_in_with_the_council_account(page, settings, commissioning_officer):
    with run_server_in_thread() as server:
        use_council_provider(settings, f"http://localhost:{server.server_port}")
        page.goto("/")
        button = page.get_by_role("button", name="Sign in with your Harbour Council account")
        expect(button).to_be_visible()
        assert_accessible(page)
        button.click()
        # At the council's identity provider (this one asks only who you are).
        page.locator("input[name=sub]").fill(commissioning_officer.email)
        page.get_by_role("button", name="Authorize").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(HOME_HEADINGS[Role.COMMISSIONING_OFFICER])
