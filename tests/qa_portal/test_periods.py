from datetime import date, timedelta

import pytest

from qa_portal.periods import FinancialYear, Month


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2025, 3, 31), "2024-25"),
        (date(2025, 4, 1), "2025-26"),
        (date(2026, 11, 22), "2026-27"),
        (date(2000, 1, 1), "1999-00"),
    ],
)
def test_the_financial_year_runs_april_to_march(day, label):
    year = FinancialYear.containing(day)
    assert year.label == label
    assert day in year


@pytest.mark.parametrize(
    ("today", "label"),
    [(date(2025, 5, 1), "2024-25"), (date(2026, 3, 31), "2024-25"), (date(2026, 4, 1), "2025-26")],
)
def test_the_last_full_financial_year_is_the_one_that_has_ended(today, label):
    assert FinancialYear.last_full(today).label == label


@pytest.mark.parametrize(
    ("day", "first", "last"),
    [
        (date(2024, 2, 10), date(2024, 2, 1), date(2024, 2, 29)),  # a leap year
        (date(2025, 2, 28), date(2025, 2, 1), date(2025, 2, 28)),
        (date(2025, 12, 31), date(2025, 12, 1), date(2025, 12, 31)),
    ],
)
def test_a_month_runs_from_its_first_to_its_last_day(day, first, last):
    month = Month.containing(day)
    assert (month.start, month.end) == (first, last)
    assert day in month
    assert last.replace(day=1) - timedelta(days=1) not in month
