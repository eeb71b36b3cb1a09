"""Response deadlines count working days in England and Wales."""

from datetime import date

import pytest

from qa_portal.working_days import add_working_days, is_working_day


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
