"""In a real browser: before a session's absolute end (SESSION_ABSOLUTE_HOURS after sign-in, shortened
here to 14 seconds) the timeout warning says the end is coming whatever they do, offers no "Stay signed
in" (nothing can extend it), closes with "Continue" so they can save their work, and at the end the
page goes to the sign-in page, which says why."""

import re

import pytest
from playwright.sync_api import expect

from tests.axe import assert_accessible
from tests.browser.test_sign_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIFETIME = 14
WARNING = 8


@pytest.fixture
def short_lifetime(settings):
    settings.SESSION_COOKIE_AGE = 600  # the idle limit is far off: the absolute end comes first
    settings.SESSION_ABSOLUTE_SECONDS = LIFETIME
    settings.SESSION_TIMEOUT_WARNING_SECONDS = WARNING


def test_the_warning_before_the_absolute_end_says_why_and_the_end_signs_out(page, qa_lead, short_lifetime):
    sign_in(page, qa_lead.email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    dialog = page.get_by_role("dialog", name="You're about to be signed out")
    expect(dialog).to_be_visible(timeout=LIFETIME * 1000)
    expect(dialog).to_have_accessible_description(
        re.compile(
            r"^For your security, we will sign you out in \d seconds\. You are signed out 14 seconds after "
            r"signing in, however busy you are\. Save your work now, then sign in again to carry on\.$"
        )
    )
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_hidden()
    assert_accessible(page)
    # Tab goes round the two controls there are.
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Sign out")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("button", name="Continue")).to_be_focused()

    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"), timeout=(WARNING + 3) * 1000)
    expect(page.get_by_role("region", name="Important")).to_have_text(
        re.compile("For your security, you are signed out 14 seconds after signing in. Sign in to go back")
    )
