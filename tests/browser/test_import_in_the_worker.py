"""In a real browser, with a real Celery worker: a commissioning officer uploads a placements file too
big to check while they wait, watches it being checked, sees the preview come up by itself, imports
it and watches the import, without the web request ever waiting for the file."""

import pytest
from playwright.sync_api import expect

from providers.models import Placement
from tests.axe import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.providers.test_import_placements import placement_row, placements_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = 40


def test_a_big_placements_file_is_checked_and_imported_in_the_background(
    page, commissioning_officer, provider, settings, celery_worker, tmp_path
):
    settings.IMPORT_ROWS_IN_REQUEST = 10
    file = tmp_path / "placements.csv"
    file.write_text(placements_csv([placement_row(f"{2_000_000 + n}") for n in range(ROWS)]))
    sign_in(page, commissioning_officer.email)
    page.goto("/imports/placements/new/")
    page.get_by_label("Upload a CSV file").set_input_files(file)
    page.get_by_role("button", name="Upload and check the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Checking the file")
    expect(page.get_by_text(f"placements.csv has {ROWS} rows: too many to check while you wait")).to_be_visible()
    expect(page.get_by_text("Refresh this page")).to_have_count(0)  # it keeps itself up to date
    assert_accessible(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Check the file before you import it", timeout=60_000)
    page.get_by_role("button", name=f"Import {ROWS} rows").click()
    expect(page.get_by_text("The file is being imported in the background")).to_be_visible()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import complete", timeout=60_000)
    expect(page.get_by_text(f"File imported: {ROWS} created, 0 updated, 0 unchanged, 0 rejected")).to_be_visible()
    assert Placement.objects.count() == ROWS
