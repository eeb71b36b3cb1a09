"""Spreadsheet downloads (CSV and XLSX) for every list that offers one.

Both drop the control characters that openpyxl refuses (Word pastes some). Each then does what its
format needs:

- CSV is plain text that Excel reads as it likes, so a value Excel would run as a formula is
  prefixed with an apostrophe to show as text (the formula-injection guard), and dates are written
  dd/mm/yyyy. A list's CSV is sent as it is written (`streaming_csv_response`), whatever its length.
  A list too long for Python to write in time has PostgreSQL write its lines by the same rules
  (`sql_csv_text`, `sql_csv_date`, `sql_csv_line`, `csv_lines_from_database`).
- XLSX says what each cell is, so it is ready to send on as it is (`write_sheet`): text is written
  as text, and "+44 20 7946 0000" or "=SUM(A1:A2)" show exactly as typed, never run and never with
  an apostrophe; dates are dates shown dd/mm/yyyy; the header row is bold, frozen and filtered; and
  each column is as wide as its longest value, up to `MAX_COLUMN_WIDTH` characters, longer text
  wrapping inside it. It is written in openpyxl's write-only mode, which streams the rows to the
  file rather than keeping a cell object for each: several times faster, in a fraction of the memory.
  That mode writes the column widths before the rows, so the rows are read once to measure them.

Both give every cell the same treatment whatever list it comes from, so a list's download view only
says which columns and rows it has."""

import csv
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

if TYPE_CHECKING:
    from openpyxl import Workbook

# ASCII control characters but tab, newline and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A cell starting with one of these may run as a formula in Excel (a tab or carriage return
# can hide the = that follows). One character each (_csv_cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Column widths, in characters: wide enough for "dd/mm/yyyy" or a short word, at most a readable line.
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 60
DATE_FORMAT, DATETIME_FORMAT = "DD/MM/YYYY", "DD/MM/YYYY HH:MM"


def clean_text(value):
    """`value` without the control characters openpyxl refuses; anything but text unchanged."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def safe_cell(value):
    """A CSV cell: clean text, prefixed with an apostrophe if Excel would run it as a formula."""
    value = clean_text(value)
    if not isinstance(value, str):
        return value
    # Prefixed with an apostrophe, Excel shows the value as text.
    return "'" + value if value.startswith(FORMULA_STARTS) else value


_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def _csv_cell(value):
    """safe_cell, dates as dd/mm/yyyy: written out for speed, as it runs for every cell of a list."""
    if isinstance(value, str):
        value = CONTROL_CHARACTERS.sub("", value)
        return "'" + value if value[:1] in _FORMULA_FIRST else value
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else value


class _Line:
    """What csv.writer writes to when each line is wanted back as text (csv_chunks)."""

    def write(self, text: str) -> str:
        return text


# Rows written to each chunk of a streamed CSV: a few tens of kilobytes per write to the socket.
CSV_ROWS_PER_CHUNK = 200


def csv_chunks(columns: list[str], rows: Iterable) -> Iterator[bytes]:
    """The CSV file of the header `columns` and `rows` (see the module), as UTF-8 bytes a chunk of
    CSV_ROWS_PER_CHUNK rows at a time, reading `rows` only as each chunk is wanted."""
    writer = csv.writer(_Line())
    # The byte order mark, so Excel reads the file as UTF-8.
    lines = ["\ufeff", writer.writerow(columns)]
    for row in rows:
        lines.append(writer.writerow([_csv_cell(cell) for cell in row]))
        if len(lines) >= CSV_ROWS_PER_CHUNK:
            yield "".join(lines).encode()
            lines = []
    if lines:
        yield "".join(lines).encode()


# The same rules as SQL, for a CSV written by PostgreSQL: at a consortium's 50,000 recommendations
# Python took 3.5 CPU seconds to write the tracker a cell at a time, PostgreSQL takes about 0.4 s
# more than reading the rows, while the web worker only passes its lines on (issue 15).
# csv.writer (QUOTE_MINIMAL) quotes a cell holding the delimiter, the quote or a line break, and
# doubles a quote inside; strpos is cheaper than a regular expression here.
_SQL_NEEDS_QUOTES = (
    "strpos({0}, ',') > 0 OR strpos({0}, '\"') > 0 OR strpos({0}, E'\\n') > 0 OR strpos({0}, E'\\r') > 0"
)
# _csv_cell's formula guard looks at the first character once control characters are gone: the
# first character's code, and the regular expression only when that is a control character (rare).
# PostgreSQL's text holds no NUL. The expression is in PostgreSQL's own regular expression syntax.
_SQL_GUARDED_CODES = ", ".join(str(ord(character)) for character in FORMULA_STARTS)
_SQL_FORMULA_AFTER_CONTROL = r"'^[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]*[=+@\t\r-]'"
# Control characters are dropped from the finished lines instead (csv_lines_from_database): none of
# their bytes is part of any other character in UTF-8, and no cell's quoting depends on them.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])


def sql_csv_text(expression: str) -> str:
    """SQL for the CSV cell of the text `expression` as _csv_cell and csv.writer write it: the
    formula guard's apostrophe, then quoted if need be. `expression` is repeated: give a column of
    the query (nothing costly). NULL stays NULL: an empty cell (sql_csv_line)."""
    guard = (
        f"CASE WHEN ascii({expression}) IN ({_SQL_GUARDED_CODES}) OR (ascii({expression}) < 32"
        f" OR ascii({expression}) = 127) AND {expression} ~ {_SQL_FORMULA_AFTER_CONTROL}"
        " THEN '''' ELSE '' END"
    )
    quoted = f"""'"' || {guard} || replace({expression}, '"', '""') || '"'"""
    return f"CASE WHEN {_SQL_NEEDS_QUOTES.format(expression)} THEN {quoted} ELSE {guard} || {expression} END"


def sql_csv_date(expression: str) -> str:
    """SQL for the CSV cell of the date `expression`, dd/mm/yyyy as _csv_cell writes it. NULL stays
    NULL: an empty cell. (A moment is written as its date where the person is: convert it first.)"""
    return f"to_char({expression}, 'DD/MM/YYYY')"


def sql_csv_line(cells: Sequence[str]) -> str:
    """SQL for the CSV line of `cells` (SQL giving text: sql_csv_text, sql_csv_date, or text that never
    needs quoting), NULL as an empty cell, without the line's ending (csv_lines_from_database)."""
    return f"array_to_string(ARRAY[{', '.join(cells)}]::text[], ',', '')"


# Lines fetched from the database at a time: about 700 kB at a consortium's tracker.
CSV_LINES_PER_FETCH = 1000


def csv_lines_from_database(sql: str, params: Sequence) -> Iterator[bytes]:
    """The lines of a CSV written by PostgreSQL: `sql` with `params` gives one column, each row's line
    without its ending (sql_csv_line), in the file's order. Yields them as UTF-8 bytes, ended with
    CRLF as csv.writer ends them and without control characters (clean_text), CSV_LINES_PER_FETCH
    lines at a time, running the query only when the first are wanted.

    They are read through a server-side cursor inside a transaction, so PostgreSQL makes each fetch as
    it is asked for and the web worker holds one at a time. Outside a transaction Django declares
    that cursor WITH HOLD, and PostgreSQL makes the whole result before the first line leaves."""
    with transaction.atomic(), connection.chunked_cursor() as cursor:
        # Every line is read: plan for the whole result, not (PostgreSQL's default for a cursor) for
        # its first tenth. At 50,000 recommendations, hash joins and one sort instead of an index
        # probe per row for each related record: 0.2 to 0.3 CPU seconds less.
        with connection.cursor() as setting:
            setting.execute("SET LOCAL cursor_tuple_fraction = 1.0")
        cursor.execute(sql, params)
        while lines := cursor.fetchmany(CSV_LINES_PER_FETCH):
            text = "\r\n".join([line for (line,) in lines]) + "\r\n"
            yield text.encode().translate(None, _CONTROL_BYTES)


def _filename(name: str, fmt: str) -> str:
    return f"{name}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def streaming_csv_response(
    *, name: str, columns: list[str], rows: Iterable = (), lines: Iterable[bytes] | None = None
) -> StreamingHttpResponse:
    """`rows` as a CSV download called `name-<today>.csv`, sent as it is written: the first rows
    leave at once, and however long the list, the web worker holds only a chunk of it at a time.
    `lines`, given instead of `rows`, are the rows written already (csv_lines_from_database): the
    header leaves before they are read. Never cached: our lists are OFFICIAL-SENSITIVE."""
    content = csv_chunks(columns, rows) if lines is None else itertools.chain(csv_chunks(columns, ()), lines)
    response = StreamingHttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(name, "csv")}"'
    response["Cache-Control"] = "no-store"
    return response


def _shown_length(value) -> int:
    """Characters the value takes on screen, as the sheet shows it: its longest line for text."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("dd/mm/yyyy hh:mm")
    if isinstance(value, date):
        return len("dd/mm/yyyy")
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    return len(str(value))


def _sheet_value(value):
    value = clean_text(value)
    if isinstance(value, datetime) and timezone.is_aware(value):
        # Excel holds no time zone: the time as it was in the UK.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def write_sheet(workbook: "Workbook", title: str, columns: list[str], rows: Iterable, *, frozen: str = "A2") -> None:
    """Add to the write-only `workbook` a sheet called `title` holding the header `columns` and `rows`
    (lists of text, numbers, dates, datetimes or None), ready to send on (see the module). `frozen` is
    the first cell that scrolls: "A2" keeps the header row in view, "B2" the first column too."""
    # openpyxl (0.1 s to import) only when a spreadsheet is made, not whenever Django starts.
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    # The widths go before the rows in write-only mode: measure first.
    values = [[_sheet_value(value) for value in row] for row in rows]
    widths = [_shown_length(column) for column in columns]
    for row in values:
        for index, value in enumerate(row[: len(widths)]):
            length = _shown_length(value)
            if length > widths[index]:
                widths[index] = length
    for index, width in enumerate(widths, start=1):
        # Two characters over the longest value: Excel's own padding, and room for the filter button.
        fitted = min(max(width, MIN_COLUMN_WIDTH) + 2, MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = fitted
    sheet.freeze_panes = frozen
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{len(values) + 1}"
    # Printed, the header row repeats on every page and the columns fit the width of a landscape page.
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    def styled(value, **style):
        cell = WriteOnlyCell(sheet, value=value)
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    sheet.append([styled(clean_text(column), font=bold, data_type="s") for column in columns])
    for row in values:
        cells = []
        for value in row:
            if isinstance(value, str):
                wraps = "\n" in value or _shown_length(value) > MAX_COLUMN_WIDTH
                # openpyxl takes text starting with "=" for a formula and "#N/A" for an error: it is text.
                if wraps or value.startswith("=") or value in ERROR_CODES:
                    value = styled(value, data_type="s", **({"alignment": wrap} if wraps else {}))
            elif isinstance(value, datetime):
                value = styled(value, number_format=DATETIME_FORMAT)
            elif isinstance(value, date):
                value = styled(value, number_format=DATE_FORMAT)
            cells.append(value)
        sheet.append(cells)


def spreadsheet_response(*, fmt: str, name: str, columns: list[str], rows, frozen: str = "A2") -> HttpResponse:
    """`rows` as a CSV or XLSX download called `name-<today>.<fmt>`, whole (a file for the worker to
    keep, or a small one); streaming_csv_response sends a CSV as it is written."""
    if fmt == "csv":
        response = HttpResponse(b"".join(csv_chunks(columns, rows)), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(name, "csv")}"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    write_sheet(workbook, name.replace("-", " ").capitalize()[:31], columns, rows, frozen=frozen)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename(name, "xlsx")}"'
    workbook.save(response)
    return response
