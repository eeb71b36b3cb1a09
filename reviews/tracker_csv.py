"""The tracker's CSV, every line written by PostgreSQL (issue 15): at a consortium's 50,000
recommendations, writing each cell in Python (reviews.views.tracker._export_rows, which the XLSX
still uses) took 3.5 CPU seconds of the web worker; PostgreSQL writes them as it reads them, and
the worker only passes the lines on (qa_portal.exports.csv_lines_from_database).

The cells are those of `_export_rows`, in the same words and formats, read from the same query
(reviews.views.tracker.export_values): that query, with the tracker's filters, order and access
rules, is the innermost of three; the middle one puts each cell's value in the tracker's words, and
the outer one writes them as CSV (qa_portal.exports), so that each value is worked out once. The
rows keep the inner query's order: a subquery that has an ORDER BY is never merged into the query
around it, and neither outer query joins or sorts. tests/reviews/test_tracker_csv.py checks that
the CSV is byte for byte what Python writes of the XLSX's rows.
"""

from datetime import date

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from qa_portal.exports import csv_lines_from_database, sql_csv_date, sql_csv_line, sql_csv_text
from reviews.models import Recommendation
from reviews.models.recommendations import LIVE_STATUSES

# What Python's str.strip() takes off (provider_update_text), for PostgreSQL's btrim: every character
# whose str.isspace() is true (tests/reviews/test_tracker_csv.py checks; finding them takes 0.1 s).
PYTHON_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)


def _literal(value) -> str:
    """`value` (text or a date from our own code, never a person's input) as an SQL literal, quoted by
    the database driver; a % doubled, as the query then goes to the driver with the inner query's
    parameters."""
    return connection.ops.compose_sql("%s", [value]).replace("%", "%%")


def _label(column: str, field: str) -> str:
    """SQL for the label of the choice in `column` (a field of Recommendation), or the stored value
    if it is not a choice any more, as _export_rows's labels[field].get(value, value)."""
    choices = Recommendation._meta.get_field(field).choices
    whens = " ".join(f"WHEN {_literal(value)} THEN {_literal(label)}" for value, label in choices)
    return f"CASE {column} {whens} ELSE {column} END"


def _values_in_words(*, today: date, time_zone: str) -> str:
    """The middle query's columns, from the inner query's (r; its columns are named as in
    EXPORT_VALUES, all lower case, so they need no quotes), as _export_rows works them out."""

    def local_day(moment: str) -> str:
        return f"({moment} AT TIME ZONE {_literal(time_zone)})::date"

    # "QA visit, 23/04/2024": the date of the visit, the meeting or the concern it came from.
    source_on = (
        "CASE WHEN r.visit_id IS NOT NULL THEN coalesce(r.visit__visit_date, r.visit__planned_date)"
        f" WHEN r.review_meeting_id IS NOT NULL THEN coalesce({local_day('r.review_meeting__held_at')},"
        " r.review_meeting__due_date)"
        " WHEN r.concern_id IS NOT NULL THEN r.concern__received_on END"
    )
    # reviews.models.recommendations.provider_update_text
    name = "coalesce(nullif(r.provider__name, ''), 'The provider')"
    provider_update = (
        "CASE WHEN r.provider_accepted = false"
        f" THEN btrim({name} || ' did not accept it: ' || r.provider_reason, {_literal(PYTHON_WHITESPACE)})"
        f" WHEN r.provider_action <> '' THEN {name} || ': ' || r.provider_action"
        " || coalesce(', by ' || to_char(r.provider_action_by, 'FMDD FMMonth YYYY'), '')"
        f" ELSE {name} || ' accepted it' END"
    )
    # reviews.models.recommendations.latest_progress_of: the latest note, unless the provider's own
    # answer came later (or with it: the note is added to it).
    note_is_latest = "r.provider_responded_at IS NULL OR r.last_note_at > r.provider_responded_at"
    progress = (
        f"CASE WHEN {note_is_latest} THEN coalesce(r.last_note, '')"
        " WHEN r.last_note_at = r.provider_responded_at AND r.last_note <> ''"
        f" THEN {provider_update} || '. ' || r.last_note"
        f" ELSE {provider_update} END"
    )
    progress_at = f"CASE WHEN {note_is_latest} THEN r.last_note_at ELSE r.provider_responded_at END"
    live = ", ".join(_literal(status) for status in LIVE_STATUSES)
    overdue = f"r.status IN ({live}) AND r.due_date < {_literal(today)}"
    response = (
        "CASE WHEN r.provider_accepted IS NULL THEN CASE WHEN r.provider_id IS NULL THEN '' ELSE 'No response yet' END"
        " WHEN r.provider_accepted THEN 'Accepted' ELSE 'Not accepted: ' || r.provider_reason END"
    )
    columns = {
        "reference": "r.pk::text",
        "source": f"{_label('r.source', 'source')} || coalesce(', ' || to_char({source_on}, 'DD/MM/YYYY'), '')",
        "provider": "coalesce(r.provider__name, '')",
        "level": _label("r.level", "level"),
        "young_person": "CASE WHEN r.young_person_id IS NULL THEN '' ELSE coalesce(r.young_person__initials, '') END",
        "text": "r.text",
        "owner": "r.owner__full_name",
        "action_holder": _label("r.action_holder", "action_holder"),
        "priority": _label("r.priority", "priority"),
        "due_date": "r.due_date",
        "overdue": f"CASE WHEN {overdue} THEN 'Yes' ELSE 'No' END",
        "status": _label("r.status", "status"),
        "progress": progress,
        "progress_on": local_day(f"({progress_at})"),
        "impact_statement": "r.impact_statement",
        "completed_on": local_day("r.completed_at"),
        "not_accepted_reason": "r.not_accepted_reason",
        "response": response,
        "provider_action": "r.provider_action",
        "provider_action_by": "r.provider_action_by",
        "raised_on": local_day("r.created_at"),
    }
    return ", ".join(f"{sql} AS {alias}" for alias, sql in columns.items())


def tracker_lines(values: QuerySet, *, young_people_shown: bool):
    """The lines of the tracker's CSV (after its header, reviews.views.tracker.export_columns) for
    `values`, the recommendations as reviews.views.tracker.export_values reads them: UTF-8 bytes, a
    chunk at a time, in `values`'s order, read as they are sent (csv_lines_from_database)."""
    inner, params = values.query.sql_with_params()
    in_words = _values_in_words(today=timezone.localdate(), time_zone=timezone.get_current_timezone_name())
    text, day = sql_csv_text, sql_csv_date
    cells = [
        "v.reference",
        text("v.source"),
        text("v.provider"),
        text("v.level"),
        *([text("v.young_person")] if young_people_shown else []),
        text("v.text"),
        text("v.owner"),
        text("v.action_holder"),
        text("v.priority"),
        day("v.due_date"),
        "v.overdue",
        text("v.status"),
        text("v.progress"),
        day("v.progress_on"),
        text("v.impact_statement"),
        day("v.completed_on"),
        text("v.not_accepted_reason"),
        text("v.response"),
        text("v.provider_action"),
        day("v.provider_action_by"),
        day("v.raised_on"),
    ]
    # OFFSET 0 keeps the middle query from being merged into the outer one, which would work out a
    # value again each time its cell's SQL names it.
    sql = f"SELECT {sql_csv_line(cells)} FROM (SELECT {in_words} FROM ({inner}) AS r OFFSET 0) AS v"
    return csv_lines_from_database(sql, params)
