"""In a real browser: the provider register's pages work and are accessible."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from providers.models import ProviderStatus
from providers.services import refresh_judgements
from tests.axe import assert_accessible
from tests.factories import ConcernFactory, InspectionFactory, PlacementFactory, SettingFactory, YoungPersonFactory
from tests.pages import choose_option, fill_date
from tests.providers.test_placement_stop import stop
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def register(provider):
    home = SettingFactory(provider=provider, name="Willow House", urn="SC654321")
    InspectionFactory(setting=home, judgement=2, inspection_date=date(2024, 6, 3))
    refresh_judgements(provider)
    PlacementFactory(
        provider=provider, setting=home, young_person=YoungPersonFactory(initials="JB", case_record_id="7000001")
    )
    ConcernFactory(provider=provider, summary="Missing from home twice in a month")
    return provider


def test_a_qa_lead_browses_providers_and_young_people(page, qa_lead, register):
    sign_in(page, qa_lead.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Providers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Providers")
    assert_accessible(page)

    page.get_by_label("Search by name, URN or postcode").fill("SC654321")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_contain_text("1 provider")
    page.get_by_role("link", name="Harbour Lights Fostering").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbour Lights Fostering")
    expect(page.get_by_text("Missing from home twice in a month")).to_be_visible()
    expect(page.get_by_role("heading", name="Recent changes")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="JB (7000001)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("JB (7000001)")
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Providers").click()
    page.get_by_role("navigation", name="Providers").get_by_role("link", name="Young people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Young people")
    assert_accessible(page)


def test_a_commissioning_officer_sees_errors_beside_the_fields(page, commissioning_officer, register):
    sign_in(page, commissioning_officer.email)
    page.goto(f"/providers/{register.pk}/settings/new/")
    page.get_by_label("Name").fill("Beech House")
    page.get_by_label("Ofsted URN").fill("AB12")
    page.get_by_role("button", name="Save setting").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a setting"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the Ofsted URN as SC and 6 digits")
    expect(page.locator("#id_urn_1_error")).to_contain_text("Enter the Ofsted URN")
    expect(page.get_by_label("Ofsted URN")).to_have_value("AB12")
    expect(page.get_by_label("Name")).to_have_value("Beech House")
    assert_accessible(page)


def test_a_qa_lead_confirms_a_placement_at_a_provider_under_a_placement_stop(page, qa_lead, register):
    stop(register, ProviderStatus.PLACEMENT_STOP, date(2026, 11, 3))
    person = YoungPersonFactory(initials="SD", case_record_id="8199999")
    sign_in(page, qa_lead.email)
    page.goto(f"/young-people/{person.pk}/placements/new/")
    expect(page.get_by_label("I confirm this placement despite the placement stop")).to_have_count(0)
    choose_option(page, "Provider", "Harbour Lights Fostering (placement stop)")
    fill_date(page, "Start date", date(2024, 3, 1))
    page.get_by_role("button", name="Save placement").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Harbour Lights Fostering is on placement stop since 3 November 2026. Confirm this placement"
    )
    assert_accessible(page)
    page.get_by_label("I confirm this placement despite the placement stop").check()
    page.get_by_label("Why is this placement confirmed despite the placement stop?").fill("Emergency placement")
    page.get_by_role("button", name="Save placement").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("SD (8199999)")
    expect(page.get_by_text("Confirmed despite the placement stop by Laura Dennison")).to_be_visible()
    assert_accessible(page)
