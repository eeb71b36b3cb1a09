"""Response deadlines count working days in England and Wales."""

from datetime import date

import pytest

from qa_portal.working_days import (
    add_working_days,
    day_name,
    is_working_day,
    working_day_on_or_after,
    working_day_on_or_before,
)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 11, 3), date(2025, 11, 17)),  # a Monday: two plain weeks
        (date(2025, 12, 19), date(2026, 1, 7)),  # over Christmas, Boxing Day and New Year's Day
        (date(2026, 3, 30), date(2026, 4, 15)),  # over Good Friday and Easter Monday
        (date(2025, 11, 8), date(2025, 11, 21)),  # shared on a Saturday
    ],
)
def test_ten_working_days_skip_weekends_and_bank_holidays(start, expected):
    assert add_working_days(start, 10) == expected


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday (England and Wales)
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday is a working day here


@pytest.mark.parametrize(
    ("day", "before", "after", "why"),
    [
        (date(2027, 7, 3), date(2027, 7, 2), date(2027, 7, 5), "a Saturday"),
        (date(2026, 12, 28), date(2026, 12, 24), date(2026, 12, 29), "a bank holiday, Boxing Day (observed)"),
        (date(2027, 5, 31), date(2027, 5, 28), date(2027, 6, 1), "a bank holiday, Spring Bank Holiday"),
        (date(2027, 7, 2), date(2027, 7, 2), date(2027, 7, 2), ""),
    ],
)
def test_a_day_off_moves_to_the_working_day_before_or_after(day, before, after, why):
    assert working_day_on_or_before(day) == before
    assert working_day_on_or_after(day) == after
    assert day_name(day) == why
