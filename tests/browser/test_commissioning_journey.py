"""In a real browser: a commissioning officer adds a provider with two settings, imports an
Ofsted file with good and bad rows, and sees the result on the provider page."""

import re

import pytest
from playwright.sync_api import expect

from tests.axe import assert_accessible
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFSTED_CSV = (
    "\ufeffURN,Provision type,Name,Town,Postcode,Local authority,Places,"
    "Organisation which owns the provider,Inspection date,Overall experiences and progress of children and young people\r\n"
    "SC300001,Children's home,Ash House,Penrith,CA11 7AA,Westmorland and Furness,4,Moorland Care,12/03/2025,Good\r\n"
    "SC300002,Children's home,Birch House,Kendal,LA9 4BB,Westmorland and Furness,3,Moorland Care,31/02/2025,Inadequate\r\n"
    "SC999999,Children's home,Somebody Else's Home,Leeds,LS1 1AA,Leeds,5,Unknown Ltd,01/01/2025,Good\r\n"
).encode("utf-8")


def add_setting(page, name, urn):
    page.get_by_role("link", name="Add a setting").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Type of setting").select_option(label="Children's home")
    page.get_by_label("Ofsted URN").fill(urn)
    page.get_by_role("button", name="Save setting").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Setting {name} added")


def test_add_a_provider_import_ofsted_and_see_the_result(page, commissioning_officer):
    sign_in(page, commissioning_officer.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Providers").click()
    page.get_by_role("link", name="Add a provider").click()
    page.get_by_label("Name").fill("Moorland Care")
    page.get_by_label("Children's home").check()
    page.get_by_label("Framework").check()
    page.get_by_role("button", name="Save provider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moorland Care")
    assert_accessible(page)

    add_setting(page, "Ash House", "SC300001")
    add_setting(page, "Birch House", "SC300002")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Providers").click()
    page.get_by_role("navigation", name="Providers").get_by_role("link", name="Imports").click()
    page.get_by_role("link", name=re.compile("Ofsted")).first.click()
    page.get_by_label("Upload a CSV file").set_input_files(
        files=[{"name": "ofsted.csv", "mimeType": "text/csv", "buffer": OFSTED_CSV}]
    )
    page.get_by_role("button", name="Upload and check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the file before you import it")
    rejections = page.get_by_role("table", name="Rows that will not be imported")
    expect(rejections.get_by_role("row")).to_have_count(2)  # the header and line 3
    expect(rejections.get_by_role("row").nth(1)).to_contain_text(re.compile(r"3\s+.*31/02/2025"))
    assert_accessible(page)

    page.get_by_role("button", name=re.compile(r"^Import \d+ rows?")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Providers").click()
    page.get_by_role("link", name="Moorland Care").click()
    settings = page.get_by_role("table", name="Settings and their latest Ofsted judgements")
    expect(settings.get_by_role("row", name=re.compile("Ash House"))).to_contain_text("Good")
    expect(settings.get_by_role("row", name=re.compile("Ash House"))).to_contain_text("Westmorland and Furness")
    expect(settings.get_by_role("row", name=re.compile("Birch House"))).to_contain_text("Not yet inspected")
    expect(page.locator("body")).not_to_contain_text("Somebody Else's Home")
    assert_accessible(page)
