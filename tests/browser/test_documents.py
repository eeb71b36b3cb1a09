"""In a real browser, with a real Celery worker: the QA lead asks for the tracker's PDF for the
monthly meeting, too big to make while they wait, lands on its page, watches the progress bar
until the download button takes its place without the page reloading, and downloads the PDF."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.axe import assert_accessible
from tests.reviews.test_big_tracker_documents import open_recommendations
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_watches_the_trackers_pdf_being_made_and_downloads_it(
    page, qa_lead, settings, celery_worker, tmp_path
):
    settings.PDF_ROWS_IN_REQUEST = 10
    open_recommendations(40, qa_lead)
    sign_in(page, qa_lead.email)
    page.goto("/tracker/")
    page.get_by_role("link", name="PDF for the monthly tracking meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation and Impact Tracker (PDF)")
    expect(page.get_by_text("It is too big to make while you wait")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    # With JavaScript the page updates itself: no refresh link.
    expect(page.get_by_text("Refresh this page")).to_have_count(0)
    assert_accessible(page)

    button = page.get_by_role("link", name=re.compile(r"Download the PDF file"))
    expect(button).to_be_visible(timeout=90_000)
    expect(page.get_by_text("Ready", exact=True)).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("[data-announcer]")).to_have_text("Your document is ready to download.")
    assert_accessible(page)

    with page.expect_download() as download:
        button.click()
    saved = Path(tmp_path / "tracker.pdf")
    download.value.save_as(saved)
    assert re.fullmatch(r"recommendation-tracker-\d{4}-\d{2}-\d{2}\.pdf", download.value.suggested_filename)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(saved.read_bytes())).pages)
    assert "BULK-TRACKER 39:" in text

    page.get_by_role("link", name="Your documents").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your documents")
    expect(page.get_by_role("link", name=re.compile(r"^Download"))).to_be_visible()
    assert_accessible(page)
