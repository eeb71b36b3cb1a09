"""In a real browser, with Chromium's virtual authenticator (the DevTools protocol's WebAuthn domain) in
place of a fingerprint reader or security key: a person adds a passkey on "Your account", then signs in
with their password and the passkey instead of a code. django-otp-webauthn's scripts run under the
portal's strict Content-Security-Policy (the page fixture fails the test on any violation)."""

import re

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from tests.axe import assert_accessible
from tests.factories import PASSWORD
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def virtual_authenticator(page):
    """A platform authenticator that always finds the person present and verified (as if they touched
    the fingerprint reader), for this page's browser."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    found = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return session, found["authenticatorId"]


def test_a_passkey_added_on_your_account_signs_in_instead_of_a_code(page, live_server, qa_lead):
    assert live_server.url.startswith("http://localhost:"), "a browser refuses passkeys at an IP address"
    session, authenticator = virtual_authenticator(page)
    sign_in(page, qa_lead)

    page.goto("/account/")
    expect(page.get_by_text("You have not added a passkey.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Passkey added.")
    expect(page.get_by_role("cell", name=re.compile(r"^Passkey added on "))).to_be_visible()
    assert_accessible(page)
    assert len(session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    passkey = WebAuthnCredential.objects.get(user=qa_lead)
    assert passkey.last_used_at is None

    page.get_by_role("button", name="Sign out").click()
    page.goto("/providers/")
    page.get_by_label("Email address").fill(qa_lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter the 6-digit code from your authenticator app")
    expect(page.get_by_role("heading", name="Or use a passkey")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Use a passkey").click()

    # Where sign-in was leading, with no code typed.
    expect(page).to_have_url(re.compile(r"/providers/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Providers")
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None


def test_without_a_passkey_reader_the_account_page_says_so(page, qa_lead):
    page.add_init_script("delete window.PublicKeyCredential;")
    sign_in(page, qa_lead)
    page.goto("/account/")
    expect(page.get_by_text("This browser cannot make passkeys.")).to_be_visible()
    expect(page.get_by_role("button", name="Add a passkey")).to_have_count(0)
