"""In a real browser: a commissioning officer finds the providers rated red at their latest
review, sorts by the next review due, downloads the list and reads it; the page is accessible."""

import csv
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from providers.models import ProviderStatus
from reviews.models import ComplianceArea, ComplianceCheck, ReviewMeeting
from tests.axe import assert_accessible
from tests.factories import PlacementFactory, ProviderFactory
from tests.signin import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _provider(name, *, placed, held_days_ago=None, red=(), open_due_in=None, **kwargs):
    provider = ProviderFactory(name=name, **kwargs)
    today = timezone.localdate()
    for _ in range(placed):
        PlacementFactory(provider=provider, start_date=today - timedelta(days=400))
    if held_days_ago is not None:
        held_on = today - timedelta(days=held_days_ago)
        meeting = ReviewMeeting.objects.create(
            provider=provider,
            cadence="quarterly",
            placement_volume=placed,
            due_date=held_on,
            status="held",
            held_at=timezone.make_aware(datetime.combine(held_on, time(10, 0))),
        )
        for area in ComplianceArea.values:
            ComplianceCheck.objects.create(meeting=meeting, area=area, rag="red" if area in red else "green")
    if open_due_in is not None:
        ReviewMeeting.objects.create(
            provider=provider, cadence="quarterly", placement_volume=placed, due_date=today + timedelta(open_due_in)
        )
    return provider


@pytest.fixture
def providers():
    _provider(
        "Fellside Care",
        placed=2,
        held_days_ago=60,
        red={ComplianceArea.SAFEGUARDING_NOTIFICATIONS, ComplianceArea.STAFF_RETENTION},
        open_due_in=120,
        status=ProviderStatus.PLACEMENT_STOP,
    )
    _provider("Oakhurst Children's Homes", placed=4, held_days_ago=100, open_due_in=-10)
    _provider("Kestrel Family Fostering", placed=4, held_days_ago=20, open_due_in=70)


def test_a_commissioning_officer_finds_the_red_ratings_and_downloads_them(page, commissioning_officer, providers):
    sign_in(page, commissioning_officer.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reviews").click()
    page.get_by_role("navigation", name="Reviews").get_by_role("link", name="Compliance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compliance overview")
    table = page.get_by_role("region", name="Compliance by provider")
    expect(table.get_by_role("row")).to_have_count(5)  # two header rows and three providers
    assert_accessible(page)

    page.get_by_label("Sort by").select_option(label="Next review due, soonest first")
    page.get_by_role("button", name="Apply filters").click()
    first = table.get_by_role("row").nth(2)
    expect(first.get_by_role("rowheader")).to_contain_text("Oakhurst Children's Homes")
    expect(first).to_contain_text("Overdue")

    page.get_by_label("Has a red rating at the latest review").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("status")).to_have_text("1 provider matches the filters")
    rows = table.get_by_role("row")
    expect(rows).to_have_count(3)
    fellside = rows.nth(2)
    expect(fellside.get_by_role("rowheader")).to_contain_text("Fellside Care")
    expect(fellside).to_contain_text("Placement stop")
    # Each rating shows a letter and tells a screen reader its colour in words: never colour alone.
    expect(fellside.get_by_role("cell", name="Red", exact=True)).to_have_count(2)
    expect(fellside.get_by_role("cell", name="Green", exact=True)).to_have_count(7)
    retention = fellside.get_by_role("cell").nth(2)  # after the status and judgement, recruitment
    expect(retention.locator("[aria-hidden=true]")).to_have_text("R")
    expect(retention.locator(".govuk-visually-hidden")).to_have_text("Red")
    expect(page.get_by_label("Sort by")).to_have_value("next_review")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("compliance-") and download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        records = list(csv.DictReader(file))
    assert [record["Provider"] for record in records] == ["Fellside Care"]
    assert records[0]["Safeguarding notifications"] == "Red"
    assert records[0]["Staff retention"] == "Red"
    assert records[0]["Staff recruitment"] == "Green"
    assert records[0]["Status"] == "Placement stop"
