"""In a real browser: before the idle limit a signed-in page warns in a modal dialog that can be used
by keyboard and screen reader; "Stay signed in" (or Escape) keeps the session, another tab's activity
closes the warning, and without either the page goes to the sign-in page.

The limits are shortened from 30 minutes and 2 minutes to 10 and 8 seconds."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.axe import assert_accessible
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDLE = 16  # the warning comes no earlier than half-way: at 8 seconds
WARNING = 8


@pytest.fixture
def short_sessions(settings):
    settings.SESSION_COOKIE_AGE = IDLE
    settings.SESSION_TIMEOUT_WARNING_SECONDS = WARNING


def test_the_timeout_warning_keeps_the_session_or_signs_out(page, qa_lead, short_sessions):
    sign_in(page, qa_lead.email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    loaded = time.monotonic()
    notifications = page.get_by_role("link", name="Notifications")
    notifications.focus()

    dialog = page.get_by_role("dialog", name="You're about to be signed out")
    expect(dialog).to_be_visible(timeout=IDLE * 1000)
    expect(dialog.get_by_role("heading", name="You're about to be signed out")).to_be_focused()
    expect(dialog).to_have_accessible_description(
        re.compile(r"^For your security, we will sign you out in \d seconds\.$")
    )
    assert_accessible(page)
    # Focus stays in the dialog: Tab goes round its two controls.
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Sign out")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    # The time left is read out politely every few seconds, not every second.
    expect(dialog.locator("[aria-live=polite]")).to_have_text("We will sign you out in 5 seconds.")

    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(notifications).to_be_focused()

    # Past the first limit, the page is still signed in (and warning again); a background request
    # from it is answered signed in, and restarts the page's clock as it restarts the server's.
    time.sleep(max(0.0, loaded + IDLE + 1 - time.monotonic()))
    expect(page).not_to_have_url(re.compile("/sign-in/"))
    expect(dialog).to_be_visible()
    # Read to the end, as the page's own requests are: the browser times a request (and so passes on its
    # Server-Timing) once its body has arrived, and a signed-in answer is not stored, so nothing else reads it.
    answered = page.evaluate(
        "async () => { const r = await fetch('/notifications/'); await r.text(); return r.redirected; }"
    )
    assert answered is False
    expect(dialog).to_be_hidden()

    # A page loaded in another tab extends the session: this tab's warning closes.
    expect(dialog).to_be_visible(timeout=IDLE * 1000)
    other_tab = page.context.new_page()
    other_tab.goto("/")
    expect(dialog).to_be_hidden()
    other_tab.close()

    # Escape means "Stay signed in".
    expect(dialog).to_be_visible(timeout=IDLE * 1000)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # Left alone, the page goes to sign in, and comes back here afterwards.
    expect(dialog).to_be_visible(timeout=IDLE * 1000)
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"), timeout=(IDLE + 2) * 1000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to QA Portal")
