"""Working days in England and Wales: weekdays that are not bank holidays."""

from datetime import date, timedelta
from functools import cache


@cache
def _named_bank_holidays(year: int) -> dict[date, str]:
    # Imported on first use: the models import this module, and every process (a visit report made as
    # a command among them) would otherwise import every country's holidays as Django starts.
    import holidays

    # England and Wales share one list of bank holidays.
    return dict(holidays.country_holidays("GB", subdiv="ENG", years=year))


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(_named_bank_holidays(year))


def bank_holidays_between(first_year: int, last_year: int) -> list[date]:
    """Every bank holiday in England and Wales from `first_year` to `last_year` (both included), in
    order: for working out working days in SQL (reviews.selectors.with_next_review_due)."""
    return sorted(day for year in range(first_year, last_year + 1) for day in _bank_holidays(year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (start itself does not count)."""
    day = start
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_day_on_or_before(day: date) -> date:
    """`day` itself if it is a working day, otherwise the working day before it: a deadline that
    falls on a Saturday, Sunday or bank holiday is brought back to the Friday (or the day before the
    holiday), never pushed past the weekend."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    """`day` itself if it is a working day, otherwise the next one: for "now", which cannot be moved
    to a day already past."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def day_name(day: date) -> str:
    """Why a day is not a working day, as it reads in a sentence: "a Saturday", "a Sunday", or the
    bank holiday ("a bank holiday, Christmas Day"); "" for a working day."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    name = _named_bank_holidays(day.year).get(day)
    return f"a bank holiday, {name}" if name else ""
