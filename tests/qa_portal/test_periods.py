from datetime import date

import pytest

from qa_portal.periods import FinancialYear


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
