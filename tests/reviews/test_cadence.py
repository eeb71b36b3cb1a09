"""Review cadence follows placement volume; the next review is due one cadence after the last held."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from reviews.models import Cadence, CadenceThresholds, ReviewMeeting, next_due
from reviews.selectors import review_status
from tests.factories import PlacementFactory

pytestmark = pytest.mark.django_db


def place(provider, count):
    for _ in range(count):
        PlacementFactory(provider=provider, start_date=timezone.localdate() - timedelta(days=90))


@pytest.mark.parametrize(
    ("count", "cadence"),
    [
        (5, Cadence.QUARTERLY),
        (4, Cadence.QUARTERLY),
        (3, Cadence.HALF_YEARLY),
        (2, Cadence.HALF_YEARLY),
        (1, Cadence.ANNUAL),
        (0, Cadence.NONE),
    ],
)
def test_the_cadence_follows_active_placements(provider, count, cadence):
    place(provider, count)
    assert review_status(provider).cadence == cadence


def test_ended_placements_do_not_count(provider):
    PlacementFactory(provider=provider, start_date=date(2024, 1, 1), end_date=date(2024, 6, 1))
    assert review_status(provider).cadence == Cadence.NONE


def test_the_next_review_follows_the_last_meeting_held(provider):
    place(provider, 5)
    held = timezone.make_aware(datetime(2026, 7, 15, 10, 0))
    ReviewMeeting.objects.create(
        provider=provider,
        cadence="quarterly",
        placement_volume=5,
        due_date=date(2026, 7, 1),
        status="held",
        held_at=held,
    )
    status = review_status(provider)
    assert status.last_held == date(2026, 7, 15)
    assert status.next_due == date(2026, 10, 15)


def test_a_provider_never_reviewed_is_due_now(provider):
    place(provider, 1)
    assert review_status(provider, today=date(2026, 11, 20)).next_due == date(2026, 11, 20)
    # On a Sunday, "now" is the next working day: never a due date already past.
    assert review_status(provider, today=date(2026, 11, 22)).next_due == date(2026, 11, 23)


def test_an_open_meeting_sets_the_due_date(provider):
    place(provider, 2)
    ReviewMeeting.objects.create(
        provider=provider, cadence="half_yearly", placement_volume=2, due_date=date(2026, 12, 1)
    )
    assert review_status(provider).next_due == date(2026, 12, 1)


def test_thresholds_are_editable(provider):
    thresholds = CadenceThresholds.current()
    thresholds.quarterly_from, thresholds.half_yearly_from, thresholds.annual_from = 6, 3, 1
    thresholds.save()
    place(provider, 5)
    assert review_status(provider).cadence == Cadence.HALF_YEARLY


def test_without_a_cadence_nothing_is_due():
    assert next_due(Cadence.NONE, None, date(2026, 1, 1)) is None
    assert next_due(Cadence.ANNUAL, date(2025, 2, 27), date(2026, 1, 1)) == date(2026, 2, 27)
    # Saturday 28 February 2026: the working day before.
    assert next_due(Cadence.ANNUAL, date(2025, 2, 28), date(2026, 1, 1)) == date(2026, 2, 27)
