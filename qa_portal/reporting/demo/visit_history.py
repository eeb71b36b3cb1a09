"""The change history of each demo visit, as its path tells it (issue 11).

The demo writes a visit's steps directly (`visits.py` says why), so it also writes the history the
services would have left: the visit created when it was planned, by its lead visitor; written up
on the day of the visit; then one record per step (submitted, shared with provider, provider
responded, finalised, recorded on case records, shared with commissioning), each by the person who
took it, dated when they took it, with the step as the reason, as `visits.services._step` records
a step. The history is rewritten only when it differs from that, so a second run adds nothing."""

from datetime import datetime, timedelta
from typing import Any

from django.db import models

from visits.models import Visit, VisitEvent, VisitStatus

Step = VisitEvent.Step
# The visit's status after each step; the last two change no column of the visit.
STATUS_AFTER = {
    Step.PLANNED: VisitStatus.DRAFT,
    Step.SUBMITTED: VisitStatus.SUBMITTED,
    Step.SHARED: VisitStatus.SHARED,
    Step.RESPONDED: VisitStatus.RESPONDED,
    Step.FINALISED: VisitStatus.FINALISED,
    Step.CASE_RECORDED: VisitStatus.FINALISED,
    Step.COMMISSIONING: VisitStatus.FINALISED,
}
# What the visitor writes up after the visit (blank when it is planned).
WRITE_UP = {
    "visit_date": None,
    "others_spoken_to": 0,
    "staff_met": "",
    "spaces_seen": "",
    "overall_judgement": "",
    "overall_summary": "",
}
# What a step writes besides the status (blank before it).
STEP_WRITES = {Step.SHARED: {"response_due": None}, Step.RESPONDED: {"provider_comment": ""}}


def seed_history(visit: Visit, *, written_at: datetime | None) -> None:
    """Make `visit`'s change history tell its path (its VisitEvents, already seeded): see the module
    docstring. `written_at`: when the visitor wrote it up (None if the visit has not happened); kept
    after the planning and before the first step after it. Writes nothing if the history is already so."""
    visit = Visit.objects.get(pk=visit.pk)
    historical = Visit.history.model
    names = [field.attname for field in historical.tracked_fields]
    wanted = _wanted(visit, written_at)
    rows = list(visit.history.order_by("history_date", "history_id"))
    met_model = _met_model()
    met_by_row: dict[int, set[tuple[int, int]]] = {row.pk: set() for row in rows}
    for history_id, *met in met_model.objects.filter(history__in=rows).values_list("history", "id", "youngperson"):
        met_by_row[history_id].add(tuple(met))
    stored = [
        {
            "history_type": row.history_type,
            "history_date": row.history_date,
            "history_user_id": row.history_user_id,
            "history_change_reason": row.history_change_reason or "",
            "values": {name: getattr(row, name) for name in names},
            "met": met_by_row[row.pk],
        }
        for row in rows
    ]
    if stored == wanted:
        return
    met_model.objects.filter(history__in=rows).delete()
    visit.history.all().delete()
    for record in wanted:
        row = historical.objects.create(
            history_type=record["history_type"],
            history_date=record["history_date"],
            history_user_id=record["history_user_id"],
            history_change_reason=record["history_change_reason"],
            **record["values"],
        )
        met_model.objects.bulk_create(
            met_model(history=row, id=through_id, visit_id=visit.pk, youngperson_id=person)
            for through_id, person in sorted(record["met"])
        )


def _wanted(visit: Visit, written_at: datetime | None) -> list[dict[str, Any]]:
    names = [field.attname for field in Visit.history.model.tracked_fields]
    final = {name: getattr(visit, name) for name in names}
    # (the through row, the young person) for each young person met
    met = set(Visit.young_people_met.through.objects.filter(visit=visit).values_list("pk", "youngperson"))
    events = list(visit.events.order_by("at", "pk"))
    planned, later = events[0], events[1:]
    values = {**final, **WRITE_UP, "status": VisitStatus.DRAFT.value}
    for writes in STEP_WRITES.values():
        values.update(writes)
    records = [_record("+", planned.at, planned.by_id, planned.history_reason, values, set())]
    if visit.visit_date is not None and written_at is not None:
        at = written_at
        if later and at >= later[0].at:
            at = later[0].at - timedelta(minutes=10)
        at = max(at, planned.at + timedelta(minutes=1))
        values = {**values, **{name: final[name] for name in WRITE_UP}}
        records.append(_record("~", at, visit.lead_visitor_id, "", values, met))
    for event in later:
        values = {**values, "status": STATUS_AFTER[event.step].value}
        values.update({name: final[name] for name in STEP_WRITES.get(event.step, {})})
        records.append(_record("~", event.at, event.by_id, event.history_reason, values, met))
    return records


def _record(history_type, when, user_id, reason, values, met) -> dict[str, Any]:
    return {
        "history_type": history_type,
        "history_date": when,
        "history_user_id": user_id,
        "history_change_reason": reason,
        "values": dict(values),
        "met": set(met),
    }


def _met_model() -> type[models.Model]:
    """simple_history's record of the young people met, one row per person per historical visit."""
    return next(
        relation.related_model
        for relation in Visit.history.model._meta.related_objects
        if relation.related_model.__name__.endswith("young_people_met")
    )
