"""In a real browser: the form components of qa_portal.widgets and qa_portal.layout at work. A long list
is typed into (accessible-autocomplete), a provider's settings follow the provider chosen, the Ofsted
inspection form shows the chosen scale's questions only, and a date goes in three boxes. Without
JavaScript the same forms work with plain selects and every question shown."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from providers.models import OfstedInspection, Placement
from tests.axe import assert_accessible
from tests.factories import SettingFactory, YoungPersonFactory
from tests.pages import fill_date
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_placement_is_recorded_by_typing_the_provider_and_choosing_one_of_its_settings(
    page, commissioning_officer, provider, other_provider
):
    ours = SettingFactory(provider=provider, name="Harbour House")
    SettingFactory(provider=other_provider, name="Northgate Lodge")
    person = YoungPersonFactory(initials="KM")
    sign_in(page, commissioning_officer.email)
    page.goto(f"/young-people/{person.pk}/placements/new/")
    setting = page.get_by_label("Setting", exact=True)
    expect(setting.locator("option")).to_have_text(["Not known"])  # no provider chosen yet

    box = page.get_by_role("combobox", name="Provider")
    box.fill("harb")
    expect(page.get_by_role("option", name=provider.name)).to_be_visible()
    expect(page.get_by_role("option", name=other_provider.name)).to_have_count(0)
    assert_accessible(page)  # with the list of options open
    page.get_by_role("option", name=provider.name).click()
    expect(setting.locator("option")).to_have_text(["Not known", f"{provider.name}: Harbour House"])
    setting.select_option(label=f"{provider.name}: Harbour House")

    # Another provider: the setting chosen is not theirs, so it goes.
    box.fill("north")
    page.get_by_role("option", name=other_provider.name).click()
    expect(setting.locator("option")).to_have_text(["Not known", f"{other_provider.name}: Northgate Lodge"])
    expect(setting).to_have_value("")

    box.fill("harb")
    page.get_by_role("option", name=provider.name).click()
    setting.select_option(label=f"{provider.name}: Harbour House")
    fill_date(page, "Start date", date(2024, 3, 1))
    page.get_by_role("button", name="Save placement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("KM")
    placement = Placement.objects.get()
    assert (placement.provider, placement.setting, placement.start_date) == (provider, ours, date(2024, 3, 1))


def test_a_date_half_typed_is_refused_with_one_message_and_kept(page, commissioning_officer, provider):
    person = YoungPersonFactory()
    sign_in(page, commissioning_officer.email)
    page.goto(f"/young-people/{person.pk}/placements/new/")
    page.get_by_role("combobox", name="Provider").fill(provider.name[:6])
    page.get_by_role("option", name=provider.name).click()
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("14")
    start.get_by_label("Year").fill("24")
    page.get_by_role("button", name="Save placement").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Start date must include a month")
    summary.get_by_role("link", name="Start date must include a month").click()
    expect(start.get_by_label("Month")).to_be_focused()
    expect(start.get_by_label("Day")).to_have_value("14")
    expect(start.get_by_label("Year")).to_have_value("24")
    expect(start.get_by_label("Month")).to_have_class(re.compile("govuk-input--error"))
    expect(start.get_by_label("Day")).not_to_have_class(re.compile("govuk-input--error"))
    # The provider chosen is still chosen, in the box typed in.
    expect(page.get_by_role("combobox", name="Provider")).to_have_value(provider.name)
    assert not Placement.objects.exists()


def test_the_inspection_form_shows_only_the_chosen_scales_questions(page, commissioning_officer, provider):
    SettingFactory(provider=provider, name="Harbour House")
    sign_in(page, commissioning_officer.email)
    page.goto(f"/providers/{provider.pk}/inspections/new/")
    four_point = page.get_by_role("radio", name=re.compile("Overall judgement"))
    supported = page.get_by_role("radio", name=re.compile("Supported accommodation outcome"))
    expect(four_point).to_be_checked()
    expect(page.get_by_label("Setting", exact=True)).to_be_visible()
    expect(page.get_by_role("radio", name="Inadequate", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="Supported accommodation outcome")).to_be_hidden()

    supported.check()
    expect(page.get_by_label("Setting", exact=True)).to_be_hidden()
    expect(page.get_by_role("radio", name="Inadequate", exact=True)).to_be_hidden()
    outcome = page.get_by_role("group", name="Supported accommodation outcome")
    expect(outcome).to_be_visible()
    assert_accessible(page)
    outcome.get_by_role("radio").nth(1).check()
    fill_date(page, "Inspection date", date(2024, 6, 3))
    page.get_by_role("button", name="Save inspection").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(provider.name)
    inspection = OfstedInspection.objects.get()
    assert (inspection.scale, inspection.setting, inspection.sa_outcome) == ("supported_accommodation", None, 2)


def test_without_javascript_the_selects_and_every_question_still_work(
    browser, live_server, commissioning_officer, provider
):
    ours = SettingFactory(provider=provider, name="Harbour House")
    person = YoungPersonFactory(initials="KM")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, commissioning_officer.email)
    page.goto(f"/providers/{provider.pk}/inspections/new/")
    # Every scale's questions are shown, under their scale.
    expect(page.get_by_label("Setting", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="Supported accommodation outcome")).to_be_visible()

    page.goto(f"/young-people/{person.pk}/placements/new/")
    page.get_by_label("Provider", exact=True).select_option(label=provider.name)
    page.get_by_label("Setting", exact=True).select_option(label=f"{provider.name}: Harbour House")
    fill_date(page, "Start date", date(2024, 3, 1))
    page.get_by_role("button", name="Save placement").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("KM")
    context.close()
    assert Placement.objects.get().setting == ours
