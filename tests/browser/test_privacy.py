"""In a real browser: the QA lead's privacy pages (who has seen a record, the subject-access export,
the retention review and anonymising) work and are accessible."""

import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from providers.retention import years_before
from tests.axe import assert_accessible
from tests.browser.test_sign_in import sign_in
from tests.factories import PlacementFactory, YoungPersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_qa_lead_sees_who_has_seen_a_record_exports_it_and_anonymises_one_past_its_time(
    page, qa_lead, provider, tmp_path
):
    today = timezone.localdate()
    person = YoungPersonFactory(initials="JB", case_record_id="7000001")
    PlacementFactory(young_person=person, provider=provider, start_date=today - timedelta(days=300))
    YoungPersonFactory(
        initials="RW", case_record_id="4400123", date_of_birth=years_before(today, 27), cohort="care_leaver"
    )

    sign_in(page, qa_lead.email)
    page.goto(person.get_absolute_url())
    page.get_by_role("link", name="Who has seen this record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has seen this record")
    expect(page.get_by_role("cell", name="Young person's page /young-people/")).to_be_visible()
    assert_accessible(page)

    page.go_back()
    page.get_by_role("link", name="Subject-access export").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Subject-access export")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the export (ZIP)").click()
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    assert "subject-access.pdf" in zipfile.ZipFile(path).namelist()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Providers").click()
    page.get_by_role("navigation", name="Providers").get_by_role("link", name="Young people").click()
    page.get_by_role("link", name="Retention review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention review")
    expect(page.get_by_role("status")).to_have_text("1 young person")
    assert_accessible(page)
    page.get_by_role("link", name="Anonymise RW (4400123)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anonymise RW (4400123)?")
    assert_accessible(page)
    page.get_by_role("button", name="Anonymise this record").click()
    expect(page.get_by_text("Anonymised: now XX (ANON-")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("0 young people")
    assert_accessible(page)
