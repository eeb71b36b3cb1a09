"""Reporting periods. The programme and the committee pack run by financial year, April to March."""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class FinancialYear:
    start: date  # 1 April
    end: date  # 31 March

    @classmethod
    def containing(cls, day: date) -> "FinancialYear":
        first = day.year if day.month >= 4 else day.year - 1
        return cls(date(first, 4, 1), date(first + 1, 3, 31))

    @classmethod
    def last_full(cls, today: date | None = None) -> "FinancialYear":
        """The last financial year that has ended by `today` (default: today in the portal's time
        zone): on 1 May 2025 or 31 March 2026 that is 2024-25. The committee pack and the demo
        report on it unless told otherwise (DOMAIN.md: the committee pack)."""
        this_year = cls.containing(today or timezone.localdate())
        return cls.containing(this_year.start - timedelta(days=1))

    @property
    def label(self) -> str:
        return f"{self.start.year}-{str(self.end.year)[2:]}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Month:
    """A calendar month, first day to last: "due this month" on the home pages, the tracker and
    the review meetings list."""

    start: date
    end: date

    @classmethod
    def containing(cls, day: date) -> "Month":
        return cls(day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1]))

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end
