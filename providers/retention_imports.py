"""Anonymising a young person in the placements files kept from imports (ImportRun): each file is
kept as the record of what was imported, and holds the case-record ID, initials and date of birth
as uploaded. Their rows keep their place and every other value; those three are replaced as on the
record (providers.retention), and the same ID and initials are replaced in what the preview and the
import said about the file."""

import csv
import io
import json
import re
from dataclasses import dataclass

from providers.importers.parsing import HEADER_SEARCH_ROWS, normalise_header
from providers.importers.placements import PlacementsImporter
from providers.models import ImportKind, ImportRun, case_record_key

COLUMNS = {key: PlacementsImporter.columns[key] for key in ("case_record_id", "initials", "date_of_birth")}


@dataclass(frozen=True)
class Identity:
    """What identified the young person in the files (`old_*`), and what replaces it."""

    old_case_record_id: str
    old_initials: str
    case_record_id: str
    initials: str
    birth_year: int


def _rewrite_csv(text: str, identity: Identity) -> tuple[str, int]:
    """`text` with the young person's rows rewritten, and how many rows were."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    wanted = case_record_key(identity.old_case_record_id)
    indexes, changed = None, 0
    for number, record in enumerate(records):
        if indexes is None:
            found = [normalise_header(cell) for cell in record]
            indexes = {key: column.index_in(found) for key, column in COLUMNS.items()}
            if indexes["case_record_id"] is None:
                indexes = None
                if number >= HEADER_SEARCH_ROWS:
                    return text, 0
            continue
        at = indexes["case_record_id"]
        if at >= len(record) or case_record_key(record[at]) != wanted:
            continue
        record[at] = identity.case_record_id
        for key, value in (("initials", identity.initials), ("date_of_birth", str(identity.birth_year))):
            if indexes[key] is not None and indexes[key] < len(record):
                record[indexes[key]] = value
        changed += 1
    if not changed:
        return text, 0
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if "\r\n" in text else "\n").writerows(records)
    return out.getvalue(), changed


def _rewrite_json(data, identity: Identity):
    """The preview or result, with "JB (7100001)" and the bare ID replaced."""
    text = json.dumps(data)
    old_id = re.escape(identity.old_case_record_id)
    text = re.sub(
        rf"(?<![\w]){re.escape(identity.old_initials)} \({old_id}\)",
        f"{identity.initials} ({identity.case_record_id})",
        text,
    )
    text = re.sub(rf"(?<![\w]){old_id}(?![\w])", identity.case_record_id, text)
    return json.loads(text)


def anonymise_in_imports(identity: Identity) -> tuple[int, list[str]]:
    """Rewrite the young person's rows in every kept placements file, and their ID and initials in
    what was said about it. Returns (values replaced, lines saying what for the anonymisation's record)."""
    values, details = 0, []
    digits = case_record_key(identity.old_case_record_id)
    for run in ImportRun.objects.filter(kind=ImportKind.PLACEMENTS, content__contains=digits):
        content, rows = _rewrite_csv(run.content, identity)
        run.content = content
        run.preview = _rewrite_json(run.preview, identity)
        run.result = _rewrite_json(run.result, identity)
        run.save(update_fields=["content", "preview", "result"])
        if rows:
            values += rows * len(COLUMNS)
            details.append(f"Placements file {run.filename} of {run.uploaded_at:%d/%m/%Y}: {rows} row(s) rewritten")
    return values, details
