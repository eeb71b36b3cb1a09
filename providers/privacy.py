"""Privacy: what the portal holds about a young person, gathered from every app, and how each app
forgets what identifies them.

The provider register knows nothing of visits or reviews, yet a young person's subject-access export
(providers.subject_access) holds their visits and meeting outcomes, and anonymising them
(providers.retention) clears their meeting outcome notes. So, as with the provider page's panels,
each app registers its part in its AppConfig.ready():

- `register_part(SubjectPart(...))`: one kind of record held about a young person, as a table (its
  columns, and a function giving a young person's rows: theirs only, never another young person's);
- `register_anonymiser(function)`: called with the young person being anonymised, it clears or
  rewrites that app's identifying values about them, in its records and their change history, and
  says how many it changed (`Scrubbed`).

`young_people(...)` names young people for the access log (qa_portal.access_log.Subjects).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from providers.models import YoungPerson
from qa_portal.access_log import AccessAction, Subjects, record_access


def young_people(*id_lists: Iterable[int | None]) -> Subjects:
    """The young people with the ids in `id_lists` (None left out), for qa_portal.access_log:
    young_people([person.pk]), young_people(met_ids, (rec.young_person_id for rec in recommendations))."""
    return Subjects.of(YoungPerson, *id_lists)


def record_seen(
    request, what: str, *id_lists: Iterable[int | None], record=None, action: AccessAction = AccessAction.VIEWED
) -> None:
    """Log that `request.user` viewed the page (or, with `action`, downloaded the PDF) `what` ("Young
    person's page"; words that name nobody), showing the young people with the ids in `id_lists`;
    `record` is the record it is about, if one. Nothing is logged if it showed nobody
    (qa_portal.access_log.record_access)."""
    record_access(request.user, action, what, young_people(*id_lists), record=record, request=request)


def young_people_listed_in(form) -> list[int]:
    """The ids of the young people `form`'s choices list (its select boxes and check boxes of young
    people), found from their querysets in one query each: none for a form that lists nobody, or
    whose young person box was taken out because its user may not see young people."""
    ids: list[int] = []
    for field in form.fields.values():
        queryset = getattr(field, "queryset", None)
        if queryset is not None and queryset.model is YoungPerson:
            ids += queryset.order_by().values_list("pk", flat=True)
    return ids


def record_listed(request, form, what: str, *, record=None) -> None:
    """Log that the form page `what` (words that name nobody: "Add a recommendation: Visit to …")
    listed young people to `request.user` in `form`'s choices: one entry for the page, holding every
    young person listed (AccessAction.LISTED), each time it is shown (a form back with its errors
    lists them again). Nothing is logged for a form that lists nobody."""
    listed = young_people_listed_in(form)
    record_access(request.user, AccessAction.LISTED, what, young_people(listed), record=record, request=request)


@dataclass(frozen=True)
class SubjectPart:
    """One kind of record held about a young person, for their subject-access export: a table called
    `title`, written to `<name>.csv` and as a section of the PDF. `rows(person)` gives their rows, each
    a list of values in the order of `columns` (text, numbers, dates, datetimes or None). `note` says
    what the table holds and leaves out ("their part of each visit: the report itself is about the
    provider and other young people"). Parts are listed by `order`."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: Callable[[YoungPerson], list[list]]
    order: int = 100
    note: str = ""


@dataclass(frozen=True)
class Scrubbed:
    """What an anonymiser changed: values changed or cleared (`fields`), rows of change history
    rewritten (`history_rows`), and a line saying what, for the anonymisation's record."""

    fields: int = 0
    history_rows: int = 0
    what: str = ""


Anonymiser = Callable[[YoungPerson], Scrubbed]

_parts: dict[str, SubjectPart] = {}
_anonymisers: list[Anonymiser] = []


def register_part(part: SubjectPart) -> None:
    """Add a part of the subject-access export (an app's AppConfig.ready() calls this)."""
    _parts[part.name] = part


def parts() -> list[SubjectPart]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.name))


def register_anonymiser(anonymiser: Anonymiser) -> None:
    """Add an app's anonymiser (its AppConfig.ready() calls this), run within the anonymisation's
    transaction, after the young person's own record has been anonymised."""
    if anonymiser not in _anonymisers:
        _anonymisers.append(anonymiser)


def anonymisers() -> list[Anonymiser]:
    return list(_anonymisers)
