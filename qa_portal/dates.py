"""Reading a date as people type it, or as a spreadsheet leaves it: one rule for every form's date
field (`qa_portal.fields.UKDateField`) and every import (`providers.importers.parsing.parse_date`).

Accepted, day first as the UK writes it: 23/04/2024, 23/4/2024, 23-04-2024, 23.04.2024, 23 04 2024,
23 April 2024 and 23-Apr-2024 (Excel's "dd-mmm-yyyy"); also 2024-04-23 (ISO, what a date picker or a
database export writes). A trailing midnight ("23/04/2024 00:00", as Excel writes a date saved as
date and time) is ignored.

The year must be typed with 4 digits and no leading zero: a two-digit year is ambiguous (Python reads
68 as 2068) and a zero-padded one (0010, as some date pickers fill a half-typed year) is a typing
slip, not the year 10. No date this portal holds is before 1900."""

import re
from datetime import date

from django.utils import timezone

EARLIEST_YEAR = 1900

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
    format we read), "not_real" (31/02/2024), "short_year" (10, 0010) or "too_early" (before 1900);
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
    return parsed
