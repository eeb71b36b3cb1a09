"""Reading an uploaded CSV file, and the values in its cells, for every importer.

`decode_csv` turns the uploaded bytes into text; `read_rows` finds the header row and reads each
data row against the importer's columns; the `parse_*` functions read one cell, raising RowError
with a message for the person who fixes the file."""

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from qa_portal.dates import DateTextError, read_date
from qa_portal.inputs import limits
from qa_portal.inputs.text import on_one_line
from qa_portal.inputs.uploads import text_problem

# Ofsted withholds some values (for example the address of a home for children at risk).
WITHHELD = "redacted"

# Some exports put a title or notes above the header row; look this far down for it.
HEADER_SEARCH_ROWS = 20


class ImportFileError(Exception):
    """The file cannot be imported at all: not text, empty, or a required column is missing."""


class RowError(Exception):
    """One row cannot be imported; the message says why, for the person who fixes the file."""


# Reading CSV ---------------------------------------------------------------------------


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file.

    Accepts UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark (Excel's
    "Unicode text"), and falls back to Windows-1252, which is what Excel writes for "CSV
    (Comma delimited)" on a UK Windows PC. Refuses (ImportFileError) a spreadsheet (.xlsx, .xls,
    .ods), and a file holding anything that is not text: a NUL byte (binary data, or UTF-16 without
    its byte-order mark) or another control character, named with its line
    (`qa_portal.inputs.uploads.text_problem`). An end-of-file mark (Ctrl-Z) that old systems put
    at the end is dropped."""
    if not data.strip():
        raise ImportFileError("The file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError("The file's text cannot be read. Save it as 'CSV UTF-8' and try again") from None
        return _checked_text(text)
    if data.startswith(SPREADSHEET_SIGNATURES):
        raise ImportFileError(
            "The file is not a CSV file. Open it in a spreadsheet and save it as 'CSV UTF-8', then try again"
        )
    if b"\x00" in data:
        # Binary data, or UTF-16 without its byte-order mark: named as such, whatever else it holds.
        raise ImportFileError(text_problem(data.decode("latin-1")))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # A byte-order mark on a file that is not UTF-8 after all: drop it, read the rest.
            text = data.removeprefix(codecs.BOM_UTF8).decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError("The file's text cannot be read. Save it as 'CSV UTF-8' and try again") from None
    return _checked_text(text)


# Zip (.xlsx, .ods) and OLE (.xls) files begin so; a CSV never does.
SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _checked_text(text: str) -> str:
    text = text.rstrip("\x1a")
    if not text.strip():
        raise ImportFileError("The file is empty")
    if problem := text_problem(text):
        raise ImportFileError(problem)
    return text


def normalise_header(value: str) -> str:
    """Headers match ignoring case, surrounding spaces and repeated spaces."""
    return " ".join((value or "").replace("\ufeff", "").split()).lower()


def _fold(header: str) -> str:
    """A header with its punctuation folded away: "Latest full inspection: Overall…" and "Latest full
    inspection - overall…" read alike, as do "case-record id" and "case record id"."""
    return " ".join(re.sub(r"[^\w*]+", " ", header.replace("'", "").replace("\u2019", "")).split())


@dataclass(frozen=True)
class Column:
    """A column an importer reads: its name as shown to people, and the headers that mean it,
    in order of preference (the first that the file has is read).

    Headers match ignoring case and punctuation. A header ending in "*" matches any header that
    starts with the rest; one starting and ending in "*" matches any header that contains the rest."""

    label: str
    headers: tuple[str, ...]
    required: bool = False
    # The longest a cell of this column may be (qa_portal.inputs.limits); a longer one refuses its row.
    max_length: int = limits.LINE
    # A name, a URN, a date: one line, a line break typed in the cell (Alt+Enter) read as a space, as
    # the forms' one-line boxes keep them (it would reach an email's subject, which cannot hold one).
    # An address line may keep its line breaks.
    one_line: bool = True

    def index_in(self, found: list[str]) -> int | None:
        folded = [_fold(header) for header in found]
        for wanted in map(_fold, self.headers):
            for index, header in enumerate(folded):
                if not header:
                    continue
                if wanted.startswith("*") and wanted.endswith("*") and len(wanted) > 2:
                    if wanted[1:-1] in header:
                        return index
                elif header == wanted or (wanted.endswith("*") and header.startswith(wanted[:-1])):
                    return index
        return None


@dataclass
class Row:
    """One data row: its physical line in the file (the header is line 1 in a plain
    export) and its values by column key, blank where the file has nothing or REDACTED."""

    line: int
    values: dict[str, str]
    # Why the row cannot be read at all (a cell longer than its column allows), naming the column.
    problems: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class Table:
    """A CSV file read against an importer's columns: its data rows, the header row as written
    (`headers`), and the header each column was found under (`found`: key -> header as written;
    a column the file lacks is not in it)."""

    rows: list[Row]
    headers: list[str]
    found: dict[str, str]


def read_rows(text: str, columns: dict[str, Column]) -> list[Row]:
    """The data rows of a CSV file, read against `columns` (see read_table)."""
    return read_table(text, columns).rows


def read_table(text: str, columns: dict[str, Column]) -> Table:
    """A CSV file read against `columns`.

    Refuses the whole file (ImportFileError) if no header row names every required column.
    Extra columns and column order do not matter. Rows with nothing in them are left out."""
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_index: dict[str, int] | None = None
    header_row: list[str] = []
    first_header: list[str] = []
    missing: list[str] = []
    rows: list[Row] = []
    previous_line = 0
    try:
        for record in reader:
            line, previous_line = previous_line + 1, reader.line_num
            if header_index is None:
                found = [normalise_header(cell) for cell in record]
                if not any(found):
                    continue
                indexes = {key: column.index_in(found) for key, column in columns.items()}
                lacking = [column.label for key, column in columns.items() if column.required and indexes[key] is None]
                if not first_header:
                    # Reported if no header is found: most files have it on the first line.
                    first_header, missing = [cell.strip() for cell in record if cell.strip()], lacking
                if not lacking:
                    header_index = {key: index for key, index in indexes.items() if index is not None}
                    header_row = [cell.strip() for cell in record]
                elif line >= HEADER_SEARCH_ROWS:
                    break
                continue
            values, problems = {}, []
            for key, index in header_index.items():
                value = record[index].strip() if index < len(record) else ""
                if columns[key].one_line:
                    value = on_one_line(value)
                values[key] = "" if value.lower() == WITHHELD else value
                if len(value) > columns[key].max_length:
                    problems.append(
                        f"{columns[key].label} is {len(value):,} characters long: it can be "
                        f"{columns[key].max_length:,} at most. Check the column holds what it should"
                    )
            if any(cell.strip() for cell in record):
                rows.append(Row(line=line, values=values, problems=problems))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"Line {reader.line_num} has a cell of more than {csv.field_size_limit():,} characters. "
                "Check the file is the CSV you meant to upload"
            ) from None
        raise ImportFileError(
            f"Line {reader.line_num} cannot be read as CSV ({exc}). Check the file is a CSV"
        ) from None
    if header_index is None:
        missing = missing or [column.label for column in columns.values() if column.required]
        found = ", ".join(first_header) if first_header else "none"
        raise ImportFileError(
            f"The file has no {join_words(missing)} column{'s' if len(missing) > 1 else ''}. Columns found: {found}"
        )
    return Table(
        rows=rows,
        headers=[header for header in header_row if header],
        found={key: header_row[index] for key, index in header_index.items()},
    )


# Reading values ------------------------------------------------------------------------


def parse_date(value: str, label: str, *, not_future: bool = False) -> date | None:
    """A date read as every form reads one (`qa_portal.dates.read_date`: dd/mm/yyyy and the like,
    the year in 4 digits); None when blank. RowError names the column and the value."""
    if not value:
        return None
    try:
        parsed = read_date(value)
    except DateTextError as exc:
        if exc.code == "invalid":
            raise RowError(f"{label} '{value}' is not a date. Write dates as dd/mm/yyyy, like 31/03/2024") from None
        if exc.code == "not_real":
            raise RowError(f"{label} '{value}' is not a real date") from None
        # "Date of birth '14/02/0010': enter the year as 4 digits, for example 2026"
        raise RowError(f"{label} '{value}': {exc.message[0].lower()}{exc.message[1:]}") from None
    if not_future and parsed > timezone.localdate():
        raise RowError(f"{label} '{value}' is in the future")
    return parsed


_YES = {"y", "yes", "true", "1"}
_NO = {"n", "no", "false", "0"}


def parse_yes_no(value: str, label: str) -> bool | None:
    """Y or N (also Yes/No, True/False, 1/0); None when blank."""
    if not value:
        return None
    if value.lower() in _YES:
        return True
    if value.lower() in _NO:
        return False
    raise RowError(f"{label} '{value}' must be Y or N")


def parse_whole_number(value: str, label: str) -> int | None:
    if not value:
        return None
    cleaned = value.replace(",", "")
    if not re.fullmatch(r"\d+(\.0+)?", cleaned) or int(cleaned.split(".")[0]) > 32767:
        raise RowError(f"{label} '{value}' is not a whole number")
    return int(cleaned.split(".")[0])


def normalise_text(value: str) -> str:
    return " ".join(value.lower().replace("\u2019", "'").split()).rstrip(".")


def first_message(messages: Iterable[str]) -> str:
    return next(iter(messages), "")


def join_words(words: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def in_sentence(label: str) -> str:
    """A column label inside a sentence: "End date" -> "end date", "EHCP" stays "EHCP"."""
    first, _, rest = label.partition(" ")
    return " ".join(part for part in (first if first.isupper() else first.lower(), rest) if part)


def reason_from(error: ValidationError, labels: dict[str, str]) -> str:
    """A ValidationError from full_clean() as one line, each part named by its column."""
    if not hasattr(error, "error_dict"):
        return "; ".join(error.messages)
    parts = []
    for field_name, messages in error.message_dict.items():
        # The first message is the most telling; "at most 4 characters" adds nothing to "1 to 4 letters".
        text = messages[0].rstrip(".")
        parts.append(text if field_name == NON_FIELD_ERRORS else f"{labels.get(field_name, field_name)}: {text}")
    return "; ".join(parts)


def format_date(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""
