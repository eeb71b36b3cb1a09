"""How the demo is read and written: its data files, its calendar and its one upsert.

The demo's data lives in TOML files in `data/` beside this module, told as the story of one
financial year, "FY": the last full financial year before the day it is loaded
(`FinancialYear.last_full`), so the demo never goes stale. The year after it, "FY+1", is the
current year, as far as today. Dates in the files are relative:

    "FY 04-23"    23 April in the demo's year (April to December fall in its first calendar
                  year, January to March in its second)
    "FY-2 06-14"  14 June, two financial years before it
    "FY+1 06-17"  17 June in the current year (something dated after today has not happened yet)
    "today-20"    20 days ago, on a working day (at most RECENT days ago: early in April, when
                  fewer days of the current year have passed, these are squeezed into them in
                  proportion, so they stay in the current year and in the same order)
    "today+9"     9 days from now, on a working day
    "days-9"      9 days ago, on a working day (the one on or before it), never squeezed: early in
                  April this falls in the demo's year. For what must have happened that long ago
                  whatever today is (a decision asked for 24 hours after it is overdue)
    "month-end"   the last day of this month

Texts may name years: {year} is the calendar year the demo's year starts in (April to
December), {year+1} the next one; {fy} is its label ("2024-25") and {fy+1} the current year's.
"""

import calendar as months
import re
import tomllib
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import timezone

from qa_portal.models import User
from qa_portal.periods import FinancialYear
from qa_portal.roles import Role
from qa_portal.working_days import is_working_day, working_day_on_or_before

DATA = Path(__file__).resolve().parent / "data"
CHANGE_REASON = "Demo data (seed_demo)"
RECENT = 35  # days: how far back "today-N" reaches

_IN_YEAR = re.compile(r"FY(?P<offset>[+-]\d+)? (?P<month>\d\d)-(?P<day>\d\d)")
_FROM_TODAY = re.compile(r"today(?:(?P<sign>[+-])(?P<days>\d+))?")
_DAYS_AGO = re.compile(r"days-(?P<days>\d+)")
_YEAR_IN_TEXT = re.compile(r"\{(?P<what>year|fy)(?P<offset>[+-]\d+)?\}")


@cache
def load(name: str) -> dict[str, Any]:
    """One data file, `data/<name>.toml`, as read by tomllib."""
    with (DATA / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def demo_provider_lookup(name: str) -> dict[str, Any]:
    """The lookup for upsert that finds the demo provider called `name` in data/providers.toml even if
    someone has renamed it in the portal since: by that name, else as the owner of one of its
    settings' Ofsted URNs; {"name": name} when neither is in the database yet. Seeding then gives it
    the demo's name again, so the rest of the demo (which names providers) finds it, and running
    seed_demo again never makes a second copy of a renamed provider."""
    from providers.models import Provider, Setting

    if Provider.objects.filter(name=name).exists():
        return {"name": name}
    spec = next((spec for spec in load("providers")["providers"] if spec["name"] == name), {})
    urns = [setting["urn"] for setting in spec.get("settings", []) if setting.get("urn")]
    owner = Setting.objects.filter(urn__in=urns).values_list("provider_id", flat=True).first() if urns else None
    return {"pk": owner} if owner is not None else {"name": name}


# The day itself if it is a working day, otherwise the working day before it.
working_day_before = working_day_on_or_before


class Calendar:
    """Turns the data files' relative dates and years into real ones, for a given today."""

    def __init__(self, today: date):
        self.today = today
        self.year = FinancialYear.last_full(today)  # the demo's year
        self.current = FinancialYear.containing(today)

    def day(self, when: str) -> date:
        """The date a data file means by `when` (see the module docstring); ValueError if unreadable."""
        if match := _IN_YEAR.fullmatch(when):
            first = self.year.start.year + int(match["offset"] or 0)
            month, day = int(match["month"]), int(match["day"])
            year = first if month >= 4 else first + 1
            if (month, day) == (2, 29) and not months.isleap(year):
                day = 28
            return date(year, month, day)
        if match := _FROM_TODAY.fullmatch(when):
            days = int(match["days"] or 0)
            if match["sign"] == "+":
                day = self.today + timedelta(days=days)
                while not is_working_day(day):
                    day += timedelta(days=1)
                return day
            if days > RECENT:
                raise ValueError(f"Demo data: {when!r} is more than {RECENT} days ago; date it in the year instead.")
            elapsed = (self.today - self.current.start).days
            day = self.today - timedelta(days=round(days * min(1, elapsed / RECENT)))
            before = working_day_before(day)
            return day if before < self.current.start else before
        if match := _DAYS_AGO.fullmatch(when):
            return working_day_before(self.today - timedelta(days=int(match["days"])))
        if when == "month-end":
            return self.today.replace(day=months.monthrange(self.today.year, self.today.month)[1])
        raise ValueError(f"Demo data: cannot read the date {when!r} (see qa_portal/reporting/demo/seeding.py).")

    def working_day(self, when: str) -> date:
        """The day of something people did on `when`: the working day on or before it, though never
        one back in the demo's year for something dated in the current year."""
        day = self.day(when)
        before = working_day_before(day)
        return day if before < self.current.start <= day else before

    def at(self, when: str | date, hhmm: str = "12:00") -> datetime:
        """That day at the time given, in the portal's time zone."""
        day = self.day(when) if isinstance(when, str) else when
        return timezone.make_aware(datetime.combine(day, time.fromisoformat(hhmm)))

    def text(self, template: str) -> str:
        """The text with {year}, {year+1}, {fy} and {fy+1} filled in. Other braces ({n}) are left."""

        def fill(match: re.Match) -> str:
            start = self.year.start.year + int(match["offset"] or 0)
            if match["what"] == "year":
                return str(start)
            return FinancialYear.containing(date(start, 4, 1)).label

        return _YEAR_IN_TEXT.sub(fill, template)


def _differs(instance: models.Model, name: str, value: Any) -> bool:
    field = instance._meta.get_field(name)
    if field.many_to_one:  # compare ids, without loading the record it points at
        return getattr(instance, field.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def upsert(
    model: type[models.Model], lookup: dict | None, values: dict, *, by: User | None = None, at: datetime | None = None
) -> models.Model:
    """Create, or bring up to date, the one record matching `lookup` (its natural key; None: make a
    new one), validated with full_clean. Saves only the fields that differ, and nothing if none
    does, so a second run writes nothing and adds no change history. `by` and `at` are who and
    when in the change history."""
    instance = model.objects.filter(**lookup).first() if lookup is not None else None
    if instance is None:
        instance = model(**{**(lookup or {}), **values})
        changed = None
        if at is not None:
            instance._history_date = at
    else:
        changed = [name for name, value in values.items() if _differs(instance, name, value)]
        if not changed:
            return instance
        for name in changed:
            setattr(instance, name, values[name])
    instance.full_clean()
    instance._change_reason = CHANGE_REASON
    if by is not None:
        instance._history_user = by
    instance.save(update_fields=changed)
    return instance


def demo_user(role: Role) -> User:
    """The demo account with this role (data/accounts.toml); RuntimeError if it has not been made."""
    email = next(user["email"] for user in load("accounts")["users"] if user["role"] == role.value)
    try:
        return User.objects.get(email=email)
    except User.DoesNotExist:
        raise RuntimeError(f"Demo account {email} is missing: seed the accounts first (demo.seed does).") from None
