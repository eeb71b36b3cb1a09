"""In a real browser: a commissioning officer overrides a provider's risk rating from its page, is
told beside the fields what is missing, and sees the override with its reason and date to look
again; the pages pass axe."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from providers.models import Judgement
from tests.axe import assert_accessible
from tests.factories import ProviderFactory
from tests.pages import fill_date
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_commissioning_officer_overrides_the_risk_rating(page, commissioning_officer):
    # Saved outside a test transaction: the rating follows at once, as in the portal.
    provider = ProviderFactory(name="Improving Homes", current_judgement=Judgement.REQUIRES_IMPROVEMENT)
    sign_in(page, commissioning_officer.email)
    page.goto(provider.get_absolute_url())
    risk = page.locator("#risk-rating + p")
    expect(risk).to_have_text("Medium risk")
    expect(page.get_by_text("Medium: Ofsted: Requires improvement to be good")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Override the risk rating, or see its history").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk rating")
    assert_accessible(page)
    page.get_by_label("Low", exact=True).check()
    page.get_by_role("button", name="Save risk rating").click()
    expect(page).to_have_title(re.compile(r"^Error: Risk rating"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you are overriding the rating")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date to look again")
    assert_accessible(page)

    look_again = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Why the rules' rating is not right for this provider now").fill("Actions all complete")
    fill_date(page, "Date to look again", look_again)
    page.get_by_role("button", name="Save risk rating").click()
    expect(page.locator("#risk-rating + p")).to_have_text("Low risk")
    expect(page.get_by_text("Reason: Actions all complete")).to_be_visible()
    expect(page.get_by_text(f"until {look_again.day} {look_again:%B %Y}")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Override the risk rating, or see its history").click()
    history = page.get_by_role("table")
    expect(history).to_contain_text("Medium")
    expect(history).to_contain_text(f"Overridden by {commissioning_officer.full_name}")
    assert_accessible(page)
