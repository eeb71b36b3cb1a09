"""A committee report's period is one a committee reports on (qa_portal.dates.period_problem): from
2000, starting a year ahead at most, 2 years long at most. A report stored with a period that cannot be
counted (01/01/0001, 31/12/9999) still opens, says why, and offers to correct it."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.reporting.models import CommitteeReport
from tests.pages import text_of
from tests.providers.form_errors import errors_beside
from tests.reporting.test_committee_pages import grant_packs

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(manager):
    return grant_packs(manager)


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (
            "01/01/0001",
            "31/03/2025",
            "period_start",
            f"Enter the year as 4 digits, for example {timezone.localdate().year}",
        ),
        ("01/04/2024", "31/12/9999", "period_end", f"Enter a year up to {timezone.localdate().year + 10}"),
        ("01/04/1999", "31/03/2000", "period_start", "The start of the period must be on or after 1 January 2000"),
        (
            "01/04/2020",
            "31/03/2025",
            "period_end",
            "The period must be 2 years long at most: end it on or before 31 March 2022",
        ),
    ],
)
def test_a_period_no_committee_reports_on_is_refused_beside_its_field(signed_in, start, end, field, message):
    response = signed_in.post(reverse("committee:report_create"), {"period_start": start, "period_end": end})
    assert response.status_code == 200
    assert errors_beside(response.content.decode(), field) == [message]
    assert not CommitteeReport.objects.exists()


def test_a_period_starting_more_than_a_year_ahead_is_refused(signed_in):
    start = timezone.localdate().replace(day=1, month=4).replace(year=timezone.localdate().year + 2)
    response = signed_in.post(
        reverse("committee:report_create"),
        {"period_start": f"{start:%d/%m/%Y}", "period_end": f"{start.replace(year=start.year + 1):%d/%m/%Y}"},
    )
    assert "a year from today" in errors_beside(response.content.decode(), "period_start")[0]


@pytest.mark.parametrize(("start", "end"), [(date(1, 1, 1), date(2025, 3, 31)), (date(2024, 4, 1), date(9999, 12, 31))])
def test_a_report_stored_with_a_period_that_cannot_be_counted_opens_and_can_be_corrected(signed_in, start, end):
    # As a report started before periods were checked was stored.
    report = CommitteeReport.objects.create(title="Annual report", period_start=start, period_end=end)
    response = signed_in.get(report.get_absolute_url())
    assert response.status_code == 200
    page = text_of(response)
    assert f"This report's period, {start.day:02d}/{start.month:02d}/{start.year:04d} to" in page
    assert "cannot be counted" in page and "Correct the period" in page
    assert "Generate the pack" not in page
    assert f'action="{reverse("committee:report_period", args=[report.pk])}"' in response.content.decode()
    # Generating is refused, with the reason, until the period is corrected.
    response = signed_in.post(reverse("committee:pack_generate", args=[report.pk]), follow=True)
    assert "Correct the period before generating the pack" in text_of(response)
    assert not report.versions.exists()

    response = signed_in.post(
        reverse("committee:report_period", args=[report.pk]), {"period_start": "01/04/2024", "period_end": "31/03/2025"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.period_start, report.period_end) == (date(2024, 4, 1), date(2025, 3, 31))
    page = text_of(signed_in.get(report.get_absolute_url()))
    assert "cannot be counted" not in page and "The figures" in page and "Generate the pack" in page


def test_the_period_page_refuses_a_period_no_committee_reports_on(signed_in, manager):
    report = CommitteeReport.objects.create(
        title="Annual report", period_start=date(2024, 4, 1), period_end=date(2025, 3, 31)
    )
    response = signed_in.post(
        reverse("committee:report_period", args=[report.pk]), {"period_start": "01/04/2024", "period_end": "31/12/9999"}
    )
    assert response.status_code == 200
    assert errors_beside(response.content.decode(), "period_end") == [
        f"Enter a year up to {timezone.localdate().year + 10}"
    ]
    report.refresh_from_db()
    assert report.period_end == date(2025, 3, 31)
