"""Reporting periods. The programme and the committee pack run by financial year, April to March."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FinancialYear:
    start: date  # 1 April
    end: date  # 31 March

    @classmethod
    def containing(cls, day: date) -> "FinancialYear":
        first = day.year if day.month >= 4 else day.year - 1
        return cls(date(first, 4, 1), date(first + 1, 3, 31))

    @property
    def label(self) -> str:
        return f"{self.start.year}-{str(self.end.year)[2:]}"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end
