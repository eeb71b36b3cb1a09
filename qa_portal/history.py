"""Change history for any model with django-simple-history: who changed what, and when.

Reads a fixed number of queries (one per history table) however long the history is, and
works out each change with simple_history's `diff_against`, comparing a record with the one
before it. Only the model's own columns are compared: many-to-many changes (a visit's young
people met) would cost a query per record, and are shown on the record's own page.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models

HIDDEN_FIELDS = {"id", "postcode_compact"}
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


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


def changes_for(sources, *, limit: int | None = None) -> list[Change]:
    """`sources`: (history queryset, label function) pairs, e.g.
    (Setting.history.filter(provider_id=3), lambda h: f"Setting {h.name}"). Newest first."""
    entries: list[Change] = []
    for queryset, label in sources:
        compared = _compared_fields(queryset.model.instance_type)
        rows = list(queryset.select_related("history_user").order_by("id", "history_date", "history_id"))
        previous_by_id = {}
        for row in rows:
            older = previous_by_id.get(row.id)
            previous_by_id[row.id] = row
            fields = _field_changes(compared, older, row) if older is not None and row.history_type == "~" else []
            if row.history_type == "~" and not fields and not row.history_change_reason:
                continue  # saved without a visible change, and not a step with a reason of its own
            entries.append(
                Change(
                    when=row.history_date,
                    who=row.history_user.full_name if row.history_user else "The system",
                    what=label(row),
                    action=ACTIONS.get(row.history_type, row.history_type),
                    reason=row.history_change_reason or "",
                    fields=fields,
                )
            )
    entries.sort(key=lambda change: change.when, reverse=True)
    return entries[:limit] if limit else entries
