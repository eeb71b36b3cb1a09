"""Spreadsheet downloads (CSV and XLSX) for every list that offers one.

Both drop the control characters that openpyxl refuses (Word pastes some). Each then does what its
format needs:

- CSV is plain text that Excel reads as it likes, so a value Excel would run as a formula is
  prefixed with an apostrophe to show as text (the formula-injection guard), and dates are written
  dd/mm/yyyy.
- XLSX says what each cell is, so it is ready to send on as it is (`write_sheet`): text is written
  as text, and "+44 20 7946 0000" or "=SUM(A1:A2)" show exactly as typed, never run and never with
  an apostrophe; dates are dates shown dd/mm/yyyy; the header row is bold, frozen and filtered; and
  each column is as wide as its longest value, up to `MAX_COLUMN_WIDTH` characters, longer text
  wrapping inside it."""

import csv
import re
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# ASCII control characters but tab, newline and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A cell starting with one of these may run as a formula in Excel (a tab or carriage return
# can hide the = that follows).
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


def write_sheet(sheet: Worksheet, columns: list[str], rows, *, frozen: str = "A2") -> None:
    """Fill an empty `sheet` with the header `columns` and `rows` (lists of text, numbers, dates,
    datetimes or None), ready to send on (see the module). `frozen` is the first cell that scrolls:
    "A2" keeps the header row in view, "B2" the first column too."""
    widths = [_shown_length(column) for column in columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append([clean_text(column) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for row in rows:
        values = []
        for value in row:
            value = clean_text(value)
            if isinstance(value, datetime):
                # Excel holds no time zone: the time as it was in the UK.
                value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
            values.append(value)
        sheet.append(values)
        for index, cell in enumerate(sheet[sheet.max_row]):
            value = cell.value
            length = _shown_length(value)
            if index < len(widths):
                widths[index] = max(widths[index], length)
            if isinstance(value, str):
                # openpyxl takes text starting with "=" for a formula and "#N/A" for an error: it is text.
                cell.data_type = "s"
                if length > MAX_COLUMN_WIDTH or "\n" in value:
                    cell.alignment = wrap
            elif isinstance(value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
    for index, width in enumerate(widths, start=1):
        # Two characters over the longest value: Excel's own padding, and room for the filter button.
        fitted = min(max(width, MIN_COLUMN_WIDTH) + 2, MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = fitted
    sheet.freeze_panes = frozen
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{sheet.max_row}"
    # Printed, the header row repeats on every page and the columns fit the width of a landscape page.
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def spreadsheet_response(*, fmt: str, name: str, columns: list[str], rows, frozen: str = "A2") -> HttpResponse:
    """`rows` as a CSV or XLSX download called `name-<today>.<fmt>`."""
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        response.write("\ufeff")  # so Excel reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(columns)
        writer.writerows(
            [c.strftime("%d/%m/%Y") if isinstance(c, date) else c for c in (safe_cell(cell) for cell in row)]
            for row in rows
        )
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = name.replace("-", " ").capitalize()[:31]
    write_sheet(sheet, columns, rows, frozen=frozen)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    workbook.save(response)
    return response
