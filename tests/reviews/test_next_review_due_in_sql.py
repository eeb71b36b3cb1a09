"""The next review due worked out in the database (`with_next_review_due`, which the compliance
overview sorts and filters by) is the date `review_statuses` gives, for every provider of a register
built to reach each of the rules: cadence thresholds, a due date on a weekend or a bank holiday,
the end of a shorter month, a meeting held late in the evening in summer time, "now" on a day off,
and an open meeting that keeps its own date or does not."""

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from providers.models import Placement, Provider, YoungPerson
from qa_portal.working_days import is_working_day
from reviews.models import CADENCE_MONTHS, Cadence, CadenceThresholds, MeetingStatus, ReviewMeeting
from reviews.selectors import review_statuses, with_next_review_due
from tests.factories import ProviderFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

# Days a meeting was held, chosen so that one cadence later is a day off or the end of a month:
# +3 months of 3 Jan 2026 is Good Friday (3 Apr); +12 months of 25 Dec 2025 is Christmas Day 2026
# (a Friday); +6 months of 27 Jun 2026 is the Sunday 27 Dec, then the substitute holiday; +3
# months of 30 Nov 2025 is 28 Feb 2026 (a Saturday); +6 months of 31 Aug 2026 is 28 Feb 2027 (a
# Sunday); 4 Jul 2026 + 3 months is a Sunday; 15 Jul 2026 + any cadence is a working day.
HELD_ON = [
    None,
    date(2026, 1, 3),
    date(2025, 12, 25),
    date(2026, 6, 27),
    date(2025, 11, 30),
    date(2026, 8, 31),
    date(2026, 7, 4),
    date(2026, 7, 15),
]
# Held at 23:30 in summer time: the day held is the local one, not UTC's.
LATE_IN_SUMMER = datetime(2026, 6, 30, 23, 30)
VOLUMES = [0, 1, 2, 3, 4]
# The open meeting: none; at the cadence the placements call for; at another; brought forward; or
# scheduled by hand with nobody placed.
OPEN = ["none", "same", "other", "brought_forward", "by_hand"]
# Weekdays, a Saturday, a Sunday, Christmas Day, Easter Monday.
DAYS = [date(2026, 11, 30), date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 25), date(2026, 4, 6)]


def _placements(provider, count):
    """`count` placements active on each of DAYS, and one that ended before them (never counted)."""
    start = date(2025, 1, 1)
    people = YoungPerson.objects.bulk_create(YoungPersonFactory.build_batch(count + 1))
    Placement.objects.bulk_create(
        [Placement(provider=provider, young_person=person, start_date=start) for person in people[:count]]
        + [Placement(provider=provider, young_person=people[-1], start_date=start, end_date=date(2025, 6, 1))]
    )


def _register():
    thresholds = CadenceThresholds.current()
    n = 0
    for held_on in [*HELD_ON, LATE_IN_SUMMER]:
        for volume in VOLUMES:
            cadence = thresholds.cadence_for(volume)
            for kind in OPEN:
                n += 1
                provider = ProviderFactory(name=f"Provider {n:03}")
                _placements(provider, volume)
                if held_on is not None:
                    when = held_on if isinstance(held_on, datetime) else datetime.combine(held_on, time(10))
                    ReviewMeeting.objects.create(
                        provider=provider,
                        cadence=Cadence.QUARTERLY,
                        placement_volume=4,
                        due_date=when.date(),
                        status=MeetingStatus.HELD,
                        held_at=timezone.make_aware(when),
                    )
                other = Cadence.ANNUAL if cadence != Cadence.ANNUAL else Cadence.QUARTERLY
                meeting = {
                    "same": {"cadence": cadence, "placement_volume": volume},
                    "other": {"cadence": other, "placement_volume": 3},
                    "brought_forward": {
                        "cadence": other,
                        "placement_volume": 3,
                        "brought_forward_because": "A concern",
                    },
                    "by_hand": {"cadence": other, "placement_volume": 0},
                }.get(kind)
                if meeting is not None:
                    ReviewMeeting.objects.create(
                        provider=provider, due_date=date(2026, 12, 3) + timedelta(n), **meeting
                    )


def _in_sql(today):
    return dict(with_next_review_due(Provider.objects.all(), today=today).values_list("pk", "next_review_due"))


def _in_python(today):
    providers = Provider.objects.all().with_active_placement_count(today)
    return {pk: status.next_due for pk, status in review_statuses(providers, today=today).items()}


def test_the_database_gives_the_same_next_review_due_as_review_statuses():
    _register()
    for today in DAYS:
        in_python = _in_python(today)
        assert _in_sql(today) == in_python, today
        # The register reaches each rule on that day: a date moved back off a day off, "now", an
        # open meeting's own date and one out of date, no routine review.
        statuses = review_statuses(Provider.objects.all().with_active_placement_count(today), today=today)
        moved_back = [
            s
            for s in statuses.values()
            if s.last_held
            and s.open_meeting is None
            and s.cadence in CADENCE_MONTHS
            and s.next_due != s.last_held + relativedelta(months=CADENCE_MONTHS[s.cadence])
        ]
        assert moved_back
        assert all(is_working_day(s.next_due) for s in moved_back)
        assert any(s.last_held is None and s.next_due and s.open_meeting is None for s in statuses.values())
        assert any(s.open_meeting and s.next_due == s.open_meeting.due_date for s in statuses.values())
        assert any(s.open_meeting and s.next_due != s.open_meeting.due_date for s in statuses.values())
        assert None in in_python.values()
    # An administrator's thresholds move the cadence boundaries: still the same answer.
    thresholds = CadenceThresholds.current()
    thresholds.quarterly_from, thresholds.half_yearly_from, thresholds.annual_from = 5, 3, 2
    thresholds.save()
    assert _in_sql(DAYS[0]) == _in_python(DAYS[0])


def test_the_late_summer_meeting_counts_from_its_day_in_london():
    provider = ProviderFactory()
    _placements(provider, 4)
    ReviewMeeting.objects.create(
        provider=provider,
        cadence=Cadence.QUARTERLY,
        placement_volume=4,
        due_date=date(2026, 6, 30),
        status=MeetingStatus.HELD,
        held_at=timezone.make_aware(LATE_IN_SUMMER),
    )
    # 30 June 2026 + 3 months is Wednesday 30 September.
    assert _in_sql(date(2026, 11, 30))[provider.pk] == date(2026, 9, 30)
