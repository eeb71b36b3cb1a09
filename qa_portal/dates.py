"""Reading a date as people type it, or as a spreadsheet leaves it: one rule for every form's date
field (`qa_portal.fields.UKDateField`) and every import (`providers.importers.parsing.parse_date`).

Accepted, day first as the UK writes it: 23/04/2024, 23/4/2024, 23-04-2024, 23.04.2024, 23 04 2024,
23 April 2024 and 23-Apr-2024 (Excel's "dd-mmm-yyyy"); also 2024-04-23 (ISO, what a date picker or a
database export writes). A trailing midnight ("23/04/2024 00:00", as Excel writes a date saved as
date and time) is ignored.

The year must be typed with 4 digits and no leading zero: a two-digit year is ambiguous (Python reads
68 as 2068) and a zero-padded one (0010, as some date pickers fill a half-typed year) is a typing
slip, not the year 10. No date this portal holds is before 1900, or more than MOST_YEARS_AHEAD years
ahead (a year such as 9999 only ever comes from a slip, and would break every sum made with it).

Each kind of date may be narrower still, by what it is (`DateRange`: a visit, a due date, the start of
a reporting period), and a reporting period has a longest length (`period_problem`). A person's
date of birth has its own rule, by the cohort (`providers.models.YoungPerson.age_for_cohort_problem`)."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

EARLIEST_YEAR = 1900
MOST_YEARS_AHEAD = 10

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}

_MIDNIGHT = r"(?:[t\s]+0?0:00(?::00)?)?"
_DAY_FIRST = re.compile(r"^(\d{1,2})[/\-. ](\d{1,2}|[a-z]{3,9})[/\-. ](\d+)" + _MIDNIGHT + "$")
_YEAR_FIRST = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _MIDNIGHT + "$")


class DateTextError(ValueError):
    """Text that is not a date this portal accepts. `code` says why: "invalid" (not a date in a
    format we read), "not_real" (31/02/2024), "short_year" (10, 0010), "too_early" (before 1900) or
    "too_late" (more than MOST_YEARS_AHEAD years ahead);
    `message` says it to the person who typed it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def short_year_message() -> str:
    return f"Enter the year as 4 digits, for example {timezone.localdate().year}"


def read_date(text: str) -> date:
    """The date `text` means (see the module), or DateTextError."""
    cleaned = re.sub(r"\s*([/\-.])\s*", r"\1", " ".join(str(text).split())).lower()
    if match := _DAY_FIRST.match(cleaned):
        day, month, year = match.groups()
    elif match := _YEAR_FIRST.match(cleaned):
        year, month, day = match.groups()
    else:
        raise DateTextError("invalid", "Enter a real date in the format dd/mm/yyyy, like 23/04/2024")
    if len(year) != 4 or year.startswith("0"):
        raise DateTextError("short_year", short_year_message())
    month_number = int(month) if month.isdigit() else MONTHS.get(month)
    if month_number is None:
        raise DateTextError("invalid", "Enter a real date in the format dd/mm/yyyy, like 23/04/2024")
    try:
        parsed = date(int(year), month_number, int(day))
    except ValueError:
        raise DateTextError("not_real", "Enter a real date in the format dd/mm/yyyy, like 23/04/2024") from None
    if parsed.year < EARLIEST_YEAR:
        raise DateTextError("too_early", f"Enter a year from {EARLIEST_YEAR} onwards")
    latest_year = timezone.localdate().year + MOST_YEARS_AHEAD
    if parsed.year > latest_year:
        raise DateTextError("too_late", f"Enter a year up to {latest_year}")
    return parsed


def as_typed(day: date) -> str:
    """A date as it is typed, dd/mm/yyyy, whatever its year (strftime writes the year 1 as "1")."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def years_after(day: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February in a year that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateRange:
    """The dates one kind of date may be: from `earliest`, to `years_ahead` years from today at most
    (`ahead` says that in words, for the message). The form's date field (`UKDateField(within=…)`)
    and the services that take such a date check it with `problem`."""

    earliest: date
    years_ahead: int
    ahead: str

    def latest(self, today: date | None = None) -> date:
        return years_after(today or timezone.localdate(), self.years_ahead)

    def problem(self, value: date | None, label: str, today: date | None = None) -> str | None:
        """Why `value` cannot be a date of this kind, naming it by `label` ("The due date must be on
        or before 30 November 2031, 5 years from today"); None if it can (or is None)."""
        if value is None:
            return None
        if value < self.earliest:
            return f"{label} must be on or after {self.earliest:%-d %B %Y}"
        latest = self.latest(today)
        if value > latest:
            return f"{label} must be on or before {latest:%-d %B %Y}, {self.ahead}"
        return None


# The programme of QA visits is this century's (1024 for 2024 is a typing slip); one is planned a year
# ahead at most.
VISIT = DateRange(earliest=date(2000, 1, 1), years_ahead=1, ahead="a year from today")
# What is due (a recommendation, an action, a review meeting): 5 years ahead at most.
DUE = DateRange(earliest=date(2000, 1, 1), years_ahead=5, ahead="5 years from today")
# The start of a reporting period (a committee report): the programme's years, the next at most.
PERIOD_START = DateRange(earliest=date(2000, 1, 1), years_ahead=1, ahead="a year from today")
LONGEST_PERIOD_YEARS = 2


def period_problem(start: date, end: date, today: date | None = None) -> tuple[str, str] | None:
    """Why `start` to `end` cannot be a reporting period, as (field, message) with field
    "period_start" or "period_end"; None if it can. A period starts within PERIOD_START, ends on or
    after its start and lasts LONGEST_PERIOD_YEARS at most (a committee reports on a year, or two)."""
    if problem := PERIOD_START.problem(start, "The start of the period", today):
        return "period_start", problem
    if end < start:
        return "period_end", "The end of the period must be on or after its start"
    last = years_after(start, LONGEST_PERIOD_YEARS) - timedelta(days=1)
    if end > last:
        return "period_end", (
            f"The period must be {LONGEST_PERIOD_YEARS} years long at most: end it on or before {last:%-d %B %Y}"
        )
    return None
