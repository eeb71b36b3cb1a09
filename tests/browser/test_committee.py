"""In a real browser, with a real Celery worker: a manager drafts the introduction, generates the
pack, watches the progress bar reach "Ready" without the page reloading, and downloads the PDF."""

import re
import time
from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from qa_portal.reporting.committee import pack, services
from qa_portal.reporting.models import CommitteeReport
from qa_portal.roles import Role
from tests.axe import assert_accessible
from tests.factories import UserFactory
from tests.reporting.committee_year import END, START, build_year
from tests.reporting.test_committee_pages import URLS, grant_packs
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls(URLS)]

INTRODUCTION = "In March 2024 senior leaders agreed to visit the care providers our children live with."


@pytest.fixture
def slow_layout(monkeypatch):
    """The worker takes a few seconds over the PDF, as a real year's pack does, so the bar is seen moving."""
    real = pack.render_html
    slowed = []

    def slow(*args, **kwargs):
        if not slowed:  # once: the pack is laid out in parts, and the worker must finish within its test
            slowed.append(True)
            time.sleep(4)
        return real(*args, **kwargs)

    monkeypatch.setattr(pack, "render_html", slow)


def test_a_manager_drafts_generates_watches_and_downloads_the_pack(page, celery_worker, slow_layout, tmp_path):
    build_year()
    manager = grant_packs(UserFactory(role=Role.MANAGER, full_name="Priya Shah"))
    report = services.committee_report_create(by=manager, title="", period_start=START, period_end=END)

    sign_in(page, manager)
    page.goto(f"/committee/{report.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quality Assurance of Care Providers Annual Report 2024-25"
    )
    expect(page.get_by_text("Over the period 3 visits were completed")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Introduction").fill(INTRODUCTION)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    expect(page.get_by_label("Introduction")).to_have_value(INTRODUCTION)
    assert CommitteeReport.objects.get(pk=report.pk).introduction == INTRODUCTION

    page.get_by_role("button", name="Generate the pack").click()
    expect(page.get_by_text("Version 1 of the pack is queued")).to_be_visible()
    status = page.locator("[data-pack-version='1']")
    expect(status.get_by_role("progressbar", name="Progress of version 1")).to_be_visible()
    # With JavaScript the page updates itself: no refresh link.
    expect(status.get_by_text("Refresh this page")).to_have_count(0)
    page.evaluate("window.stillTheSamePage = true")
    assert_accessible(page)

    download_link = status.get_by_role("link", name=re.compile(r"Download version 1"))
    expect(download_link).to_be_visible(timeout=60_000)
    expect(status.get_by_text("Ready")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#pack-announcer")).to_have_text("Version 1 of the pack is ready to download.")

    with page.expect_download() as download:
        download_link.click()
    saved = Path(tmp_path / "pack.pdf")
    download.value.save_as(saved)
    assert download.value.suggested_filename == "committee-pack-2024-04-01-to-2025-03-31-v1.pdf"
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    assert INTRODUCTION in text
    assert "2. Quality Assurance Visits" in text

    page.reload()
    expect(
        page.locator("[data-pack-version='1']").get_by_role("link", name=re.compile("Download version 1"))
    ).to_be_visible()
    assert_accessible(page)
