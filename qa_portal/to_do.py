"""What a person has to do next, as their home page lists it (qa_portal.reporting.home).

Each app gathers the items of its own records in its `to_do` module (visits.to_do, reviews.to_do,
providers.to_do), each a selector of a fixed number of queries whatever the amount of data, and
the top floor puts them together in order of urgency: overdue first (longest overdue first), then
everything else by date, so what has waited longest comes before what is still to come.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# Each app's list stops at this many items: the figures below the list count them all, and link to
# the full lists.
MOST = 8


@dataclass(frozen=True)
class ToDo:
    """One thing to do: what, where to do it, and when.

    `text` says what to do in a sentence ("Finish your write-up of the visit to Tamar Reach: 3
    sections left"); `url` is the page where it is done; `when` orders the list: the day it is due,
    or the day it has waited since, or the day it takes place; `when_label` says which ("Due 3 June
    2026", "Submitted 2 May 2026", "On 5 June 2026"); `overdue` if its due day has passed; `kind`
    names the record it is about ("Visit", "Review meeting", "Recommendation"...); `young_person_id`
    the young person its text names (by initials), if one, so that the home page showing it is
    recorded in the access log of personal data (qa_portal.access_log)."""

    text: str
    url: str
    when: date
    when_label: str
    kind: str
    overdue: bool = False
    young_person_id: int | None = None
    # What it asks about, when two apps may each ask the same ("stays:<young person>:<provider>",
    # `stays_key`): the composer keeps one to-do for it (qa_portal.reporting.home.to_do_for).
    about: str = ""


def stays_key(young_person_id: int, provider_id: int) -> str:
    """The `about` of a to-do asking whether a young person stays with a provider."""
    return f"stays:{young_person_id}:{provider_id}"


def _day(day: date) -> str:
    return f"{day:%-d %B %Y}"


def due(day: date, today: date) -> tuple[str, bool]:
    """(label, overdue) for something due on `day`: "Due today", "Due tomorrow" or "Due 5 June 2026",
    and whether that day has passed (the page marks it "Overdue")."""
    if day < today:
        return f"Due {_day(day)}", True
    if day == today:
        return "Due today", False
    if (day - today).days == 1:
        return "Due tomorrow", False
    return f"Due {_day(day)}", False


def on(day: date, today: date, *, prefix: str = "On") -> str:
    """ "Today", "Tomorrow" or "On 5 June 2026", for something that takes place on `day`."""
    if day == today:
        return "Today"
    if (day - today).days == 1:
        return "Tomorrow"
    return f"{prefix} {_day(day)}"


def since(day: date, what: str) -> str:
    """ "Submitted 2 May 2026": for something waiting since `day`."""
    return f"{what} {_day(day)}"


def in_order(items: Iterable[ToDo]) -> list[ToDo]:
    """Most urgent first: overdue (longest overdue first), then by date, then by text."""
    return sorted(items, key=lambda item: (not item.overdue, item.when, item.text))
