"""Case-record notes: one plain-text note per young person, to paste into the case-record system
(Mosaic), naming that young person and no other (issue 17). Visits (visits.case_record_notes) and
review meetings (reviews.case_record_notes) build theirs from their own records; this module holds
what both need: finding where a text names a young person, and taking other children out of it.

A young person is named in free text by their initials (1 to 4 capital letters, as the register keeps
them: "JB", also written "J.B." or "J. B.") or by their case-record ID (leading zeros ignored, as
providers.models.case_record_key compares them). Initials are matched with their case, as whole
words, so "JB" is not found in "job" or "JBX"; a single letter is too common a word ("I", "A") to be
read as a young person's initials, so only their ID names them then.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from providers.access import may_see_young_people
from providers.models import YoungPerson, case_record_key
from qa_portal import tags

# Whether a note is on the young person's case record yet (templates/components/case_record_note.html).
tags.register(
    "case_record_note",
    colours={"recorded": "green", "to_do": "blue"},
    labels={"recorded": "Recorded", "to_do": "To do"},
)

# What stands in a copied text where another young person was named.
ANOTHER_YOUNG_PERSON = "[another young person]"
# What stands in a text shown to people who may not see young people, where one was named.
A_YOUNG_PERSON = "[a young person]"


def _initials_pattern(initials: str) -> str | None:
    if len(initials) < 2:
        return None
    return r"\.?\s?".join(re.escape(letter) for letter in initials) + r"\.?"


def _id_pattern(case_record_id: str) -> str | None:
    key = case_record_key(case_record_id)
    return rf"0*{re.escape(key)}" if key else None


def _naming(patterns: Iterable[str | None]) -> re.Pattern | None:
    found = sorted({p for p in patterns if p}, key=len, reverse=True)
    if not found:
        return None
    return re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(found) + r")(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Naming:
    """Where a text names one young person (`own`) and where it names any other (`others`): the young
    people placed with them, met with them, or discussed at the same meeting. When another of them has
    the same initials, the initials say nothing of whom a text means: only the young person's ID then
    names them, and the initials count as naming someone else."""

    own: re.Pattern | None
    others: re.Pattern | None

    @classmethod
    def of(cls, person: YoungPerson, others: Iterable[YoungPerson]) -> "Naming":
        others = [other for other in others if other.pk != person.pk]
        shared = any(other.initials == person.initials for other in others)
        own = [_id_pattern(person.case_record_id)]
        if not shared:
            own.append(_initials_pattern(person.initials))
        theirs = [p for other in others for p in (_id_pattern(other.case_record_id), _initials_pattern(other.initials))]
        return cls(own=_naming(own), others=_naming(theirs))

    def names_them(self, text: str) -> bool:
        return bool(self.own and self.own.search(text))

    def names_another(self, text: str) -> bool:
        return bool(self.others and self.others.search(text))

    def about_them_alone(self, text: str) -> bool:
        """Names this young person and nobody else of those known."""
        return self.names_them(text) and not self.names_another(text)

    def without_others(self, text: str) -> tuple[str, bool]:
        """`text` with every other young person's initials and ID replaced by ANOTHER_YOUNG_PERSON, and
        whether anything was replaced (for text written about this young person, such as their
        recommendation, that mentions another in passing)."""
        if not self.others:
            return text, False
        replaced, count = self.others.subn(ANOTHER_YOUNG_PERSON, text)
        return replaced, bool(count)


def without_young_people(text: str, people: Iterable[YoungPerson]) -> str:
    """`text` with the initials and case-record ID of each of `people` replaced by A_YOUNG_PERSON,
    matched as Naming matches them: for lists that name no young person ("You said, we did" on provider
    pages, authority-wide and in the committee pack), whose words were typed about one."""
    pattern = _naming(
        p for person in people for p in (_id_pattern(person.case_record_id), _initials_pattern(person.initials))
    )
    return pattern.sub(A_YOUNG_PERSON, text) if pattern else text


def paragraphs(text: str) -> list[str]:
    """The non-blank lines of a typed text, each stripped: the parts a note copies or leaves out."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class Note:
    """One young person's case-record note: its plain text (lines joined by newlines), whether another
    young person's name was taken out of a text copied into it, and the record of its being put on
    their case record (who, when) if it has been: `recorded_by` and `recorded_at`, both None until then."""

    young_person: YoungPerson
    age: int
    text: str
    others_taken_out: bool
    recorded_by: object = None
    recorded_at: object = None

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None

    @property
    def rows(self) -> int:
        """How many rows its text box needs to show it whole, long lines wrapping (at most 40)."""
        return min(40, sum(1 + len(line) // 90 for line in self.text.splitlines()) + 1)

    @property
    def filename(self) -> str:
        return f"case-record-note-{self.young_person.initials}-{self.young_person.case_record_id}.txt"


def recommendation_lines(recommendations, naming: Naming) -> tuple[list[str], bool]:
    """The lines saying each recommendation about the young person: its text, owner, due date and
    status, and its impact statement once completed, each with other young people taken out. Returns
    (lines, whether anyone was taken out). Reads only the recommendation's own fields, so the visits
    app can call it on `visit.recommendations` without importing the tracker."""
    lines, taken_out = [], False
    for number, rec in enumerate(recommendations, start=1):
        text, out = naming.without_others(rec.text)
        taken_out |= out
        lines.append(f"{number}. {text}")
        due, status = f"{rec.due_date:%-d %B %Y}", rec.get_status_display()
        lines.append(f"   Owner: {rec.owner.full_name}. Due: {due}. Status: {status}.")
        if rec.impact_statement:
            impact, out = naming.without_others(rec.impact_statement)
            taken_out |= out
            lines.append(f"   Impact: {impact}")
    return lines, taken_out


def may_see_case_record_notes(user) -> bool:
    """Council staff who may see young people (the QA lead, commissioning officers, social workers):
    a note holds the young person's case-record ID and what was said about them. Provider users never
    see one, not even of their own organisation's visit."""
    return may_see_young_people(user) and not user.is_provider_user


def refuse_unless_may_see_notes(user) -> None:
    """PermissionDenied unless `user` may see case-record notes (may_see_case_record_notes)."""
    if not may_see_case_record_notes(user):
        raise PermissionDenied("Case-record notes are shown only to staff who may see young people's records.")


__all__ = [
    "ANOTHER_YOUNG_PERSON",
    "A_YOUNG_PERSON",
    "Naming",
    "Note",
    "may_see_case_record_notes",
    "paragraphs",
    "recommendation_lines",
    "refuse_unless_may_see_notes",
    "without_young_people",
]
