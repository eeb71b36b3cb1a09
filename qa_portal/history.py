"""Change history for any model with django-simple-history: who changed what, and when.

Reads a fixed number of queries (one per history table) however long the history is, and
works out each change with simple_history's `diff_against`, comparing a record with the one
before it. With a limit (a page's "Recent changes") only the newest rows of each table are read,
with the row before each, so the time does not grow with the history (issue 15). Only the model's
own columns are compared: many-to-many changes (a visit's young people met) would cost a query per
record, and are shown on the record's own page.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import Lag

HIDDEN_FIELDS = {"id", "postcode_compact"}
# A record's versions, oldest first: each row is compared with the one before it of the same record.
VERSION_ORDER = ("id", "history_date", "history_id")
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
# Who made a change: their name only, not their whole user row (issue 15: a page's "Recent changes"
# read six tables, each joined to every column of the user).
WHO = F("history_user__full_name")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    action: str
    reason: str = ""
    fields: list[FieldChange] = field(default_factory=list)


def _display(model_field, value) -> str:
    if value in (None, ""):
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field.choices:
        labels = dict(model_field.flatchoices)
        if isinstance(value, list):
            return ", ".join(str(labels.get(v, v)) for v in value)
        return str(labels.get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _compared_fields(model) -> list[models.Field]:
    """The columns a person would recognise, in the model's order (diff_against sorts by name)."""
    return [
        model_field
        for model_field in model._meta.concrete_fields
        if model_field.editable and model_field.name not in HIDDEN_FIELDS
    ]


def _field_changes(compared: list[models.Field], older, newer) -> list[FieldChange]:
    delta = newer.diff_against(older, included_fields=[model_field.name for model_field in compared])
    changed = {change.field: change for change in delta.changes}
    changes = []
    for model_field in compared:
        if model_field.name not in changed:
            continue
        label = str(model_field.verbose_name)
        label = label[:1].upper() + label[1:]
        if model_field.is_relation:
            # Related records are named in their own history; here we only say it changed.
            changes.append(FieldChange(label, "", "changed"))
        else:
            change = changed[model_field.name]
            changes.append(FieldChange(label, _display(model_field, change.old), _display(model_field, change.new)))
    return changes


def _changes(rows, label, compared, shown=None) -> list[Change]:
    """The changes `rows` (a table's rows, in VERSION_ORDER) make; with `shown` (history ids), only
    those rows' (the others are read only to compare with)."""
    entries: list[Change] = []
    previous_by_id = {}
    for row in rows:
        older = previous_by_id.get(row.id)
        previous_by_id[row.id] = row
        if shown is not None and row.history_id not in shown:
            continue
        fields = _field_changes(compared, older, row) if older is not None and row.history_type == "~" else []
        if row.history_type == "~" and not fields and not row.history_change_reason:
            continue  # saved without a visible change, and not a step with a reason of its own
        entries.append(
            Change(
                when=row.history_date,
                who=row.who if row.who is not None else "The system",
                what=label(row),
                action=ACTIONS.get(row.history_type, row.history_type),
                reason=row.history_change_reason or "",
                fields=fields,
            )
        )
    return entries


def _newest_changes(queryset, label, compared, limit: int) -> list[Change]:
    """At least the `limit` newest changes of one history table (all, if it has fewer): its newest
    rows and the row before each of them, in one query; more rows only if too many of the newest
    were saved without a visible change."""
    batch = limit * 2
    while True:
        ranked = queryset.annotate(
            previous_history_id=Window(
                Lag("history_id"), partition_by=[F("id")], order_by=[F("history_date").asc(), F("history_id").asc()]
            )
        ).order_by("-history_date", "-history_id")[:batch]
        rows = list(
            queryset.filter(
                Q(history_id__in=ranked.values("history_id")) | Q(history_id__in=ranked.values("previous_history_id"))
            )
            .annotate(who=WHO)
            .order_by(*VERSION_ORDER)
        )
        # The newest `batch` of what was read are the newest of the table: a row read only as the one
        # before another is older than all of them.
        newest = sorted(rows, key=lambda row: (row.history_date, row.history_id), reverse=True)[:batch]
        entries = _changes(rows, label, compared, shown={row.history_id for row in newest})
        if len(entries) >= limit or len(newest) < batch:
            return entries
        batch *= 4


def changes_for(sources, *, limit: int | None = None) -> list[Change]:
    """`sources`: (history queryset, label function) pairs, e.g.
    (Setting.history.filter(provider_id=3), lambda h: f"Setting {h.name}"). Newest first; with
    `limit`, the newest `limit` only, reading only the newest rows of each table."""
    entries: list[Change] = []
    for queryset, label in sources:
        compared = _compared_fields(queryset.model.instance_type)
        if limit:
            entries += _newest_changes(queryset, label, compared, limit)
        else:
            rows = queryset.annotate(who=WHO).order_by(*VERSION_ORDER)
            entries += _changes(rows, label, compared)
    entries.sort(key=lambda change: change.when, reverse=True)
    return entries[:limit] if limit else entries
