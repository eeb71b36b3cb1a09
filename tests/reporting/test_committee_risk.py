"""The committee pack's table of the providers used in the period by risk rating (issue 16): each
provider where a young person lived during the period, by its rating at the period's end (its rating
now while the period runs on), from the rating's history."""

from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from providers.models import RiskRating, RiskRatingChange
from qa_portal.reporting.committee import counting, services
from tests.factories import PlacementFactory, ProviderFactory
from tests.pages import text_of
from tests.reporting.test_committee_pack import pages_of
from tests.reporting.test_committee_pages import grant_packs

pytestmark = pytest.mark.django_db

START, END = date(2024, 4, 1), date(2025, 3, 31)


def changed(provider, day: date, to: int) -> None:
    RiskRatingChange.objects.create(
        provider=provider,
        to_rating=to,
        why="The rules",
        changed_at=timezone.make_aware(datetime.combine(day, datetime.min.time()) + timedelta(hours=23)),
    )


@pytest.fixture
def providers():
    used = {name: ProviderFactory(name=name) for name in ["Alder Fostering", "Birch House", "Cedar Homes", "Damson"]}
    for provider in used.values():
        PlacementFactory(provider=provider, start_date=date(2024, 5, 1), end_date=date(2024, 9, 1))
    PlacementFactory(provider=ProviderFactory(name="Not Used Then"), start_date=date(2025, 6, 1))
    changed(used["Alder Fostering"], date(2024, 6, 1), RiskRating.LOW)
    changed(used["Alder Fostering"], END, RiskRating.HIGH)  # on the last day: counts
    changed(used["Alder Fostering"], END + timedelta(days=1), RiskRating.LOW)  # after: does not
    changed(used["Birch House"], date(2024, 7, 1), RiskRating.MEDIUM)
    changed(used["Cedar Homes"], date(2024, 8, 1), RiskRating.MEDIUM)
    return used


def test_each_provider_used_is_counted_by_its_rating_at_the_end_of_the_period(providers):
    figures = counting.committee_figures(START, END)
    assert figures.risk_on == END
    assert [(row.rating, row.providers) for row in figures.risk_rows] == [
        ("High", ["Alder Fostering"]),
        ("Medium", ["Birch House", "Cedar Homes"]),
        ("Low", []),
        ("Not rated then", ["Damson"]),
    ]


def test_a_period_running_on_counts_the_ratings_now(providers):
    today = timezone.localdate()
    for provider in providers.values():
        PlacementFactory(provider=provider, start_date=today - timedelta(days=10))
    providers["Damson"].risk_rating = RiskRating.HIGH
    providers["Damson"].save()
    figures = counting.committee_figures(today - timedelta(days=30), today + timedelta(days=30), today=today)
    assert figures.risk_on == today
    assert {row.rating: row.providers for row in figures.risk_rows}["High"] == ["Damson"]


def test_the_report_page_shows_the_table(client, providers, manager):
    grant_packs(manager)
    report = services.committee_report_create(by=manager, title="", period_start=START, period_end=END)
    client.force_login(manager)
    page = text_of(client.get(reverse("committee:report_detail", args=[report.pk])))
    assert "Providers we use by risk rating on 31 March 2025" in page
    assert "Medium 2 Birch House, Cedar Homes" in page


def test_a_period_before_any_rating_says_so_in_a_sentence_not_a_table_of_noughts(client, manager, tmp_path):
    for name in ["Alder Fostering", "Birch House"]:
        PlacementFactory(provider=ProviderFactory(name=name), start_date=date(2024, 5, 1))
    grant_packs(manager)
    report = services.committee_report_create(by=manager, title="", period_start=START, period_end=END)
    client.force_login(manager)
    page = text_of(client.get(reverse("committee:report_detail", args=[report.pk])))
    assert "None of the 2 providers we used had a risk rating on 31 March 2025: ratings began later." in page
    assert "Providers we use by risk rating" not in page and "Not rated then" not in page
    out = tmp_path / "pack.pdf"
    call_command("committee_pack", "--from", "2024-04-01", "--to", "2025-03-31", "--out", str(out), stdout=StringIO())
    text = " ".join(pages_of(out.read_bytes()))
    assert "None of the 2 providers we used had a risk rating on 31 March 2025" in " ".join(text.split())
    assert "Not rated then" not in text
