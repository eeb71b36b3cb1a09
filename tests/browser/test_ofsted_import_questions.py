"""In a real browser: an Ofsted file's preview asks about a near-matching organisation and a judgement that
differs from ours, explains unanswered questions beside them, and imports once they are answered; a file
whose judgements have no date column is imported only when the warning is ticked. Every page is accessible."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from providers.models import OfstedInspection, Setting
from tests.axe import assert_accessible
from tests.factories import InspectionFactory, ProviderFactory, SettingFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JUDGEMENT = "Overall experiences and progress of children and young people"
IN_YEAR = (
    f"URN,Name,Organisation which owns the provider,Inspection event type,Inspection date,Publication date,{JUDGEMENT}\n"
    "SC512764,Sandpiper Lodge,Oakhurst Children's Homes,Full inspection,03/06/2025,01/07/2025,Inadequate\n"
    "SC512764,Sandpiper Lodge,Oakhurst Children's Homes,Monitoring visit,10/09/2025,01/10/2025,\n"
    "SC700101,Coquet Lea,Cheviot View Homes Limited,Full inspection,02/05/2025,30/05/2025,Good\n"
    "SC700102,Bay Tree House,Elsewhere Care Ltd,Full inspection,12/03/2025,02/04/2025,Good\n"
)


def upload(page, content: str):
    page.goto("/imports/ofsted/new/")
    page.get_by_label("Upload a CSV file").set_input_files(
        files=[{"name": "ofsted.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Upload and check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the file before you import it")


def test_a_commissioning_officer_answers_the_previews_questions_then_imports(page, commissioning_officer):
    oakhurst = ProviderFactory(name="Oakhurst Children's Homes")
    cheviot = ProviderFactory(name="Cheviot View Homes")
    sandpiper = SettingFactory(provider=oakhurst, urn="SC512764", name="Sandpiper Lodge")
    InspectionFactory(setting=sandpiper, inspection_date=date(2025, 6, 3), judgement=2)
    sign_in(page, commissioning_officer.email)

    upload(page, IN_YEAR)

    expect(page.get_by_role("group", name=re.compile("Cheviot View Homes Limited"))).to_be_visible()
    expect(page.get_by_text("We hold Good; the file says Inadequate")).to_be_visible()
    skipped = page.get_by_role("table", name=re.compile("Rows skipped"))
    expect(skipped.get_by_role("row").nth(1)).to_contain_text(
        re.compile(r"5\s+Bay Tree House\s+SC700102\s+Elsewhere Care Ltd")
    )
    expect(page.get_by_role("button", name=re.compile(r"^Import"))).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Save answers and check the file again").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose which judgement to keep for line 2")
    assert_accessible(page)

    page.get_by_label("This is Cheviot View Homes").check()
    page.get_by_label("Take the file's: Inadequate").check()
    page.get_by_role("button", name="Save answers and check the file again").click()
    expect(page.get_by_text("full inspection on 03/06/2025 changed from Good to Inadequate")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name=re.compile(r"^Import \d+ rows?")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete")
    assert Setting.objects.get(urn="SC700101").provider == cheviot
    assert sorted(sandpiper.inspections.values_list("event_type", "judgement")) == [("full", 4), ("monitoring", None)]


def test_a_file_without_an_inspection_date_column_is_imported_only_once_the_warning_is_ticked(
    page, commissioning_officer
):
    ProviderFactory(name="Oakhurst Children's Homes")
    sign_in(page, commissioning_officer.email)

    upload(
        page,
        f"URN,Name,Organisation which owns the provider,When inspected,{JUDGEMENT}\n"
        "SC512764,Sandpiper Lodge,Oakhurst Children's Homes,03/06/2025,Inadequate\n",
    )

    expect(page.get_by_text(re.compile("no column we recognise as the inspection date"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 1 row").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Confirm that the settings should be imported without their judgements"
    )
    assert not Setting.objects.exists()
    assert_accessible(page)

    page.get_by_label("Import the settings in this file without their judgements").check()
    page.get_by_role("button", name="Import 1 row").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete")
    assert Setting.objects.filter(urn="SC512764").exists()
    assert not OfstedInspection.objects.exists()
