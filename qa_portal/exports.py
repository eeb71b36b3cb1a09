"""Spreadsheet downloads (CSV and XLSX) for every list that offers one.

Cells are made safe on the way out: a value that Excel would run as a formula is prefixed so
it shows as text, and control characters that openpyxl refuses (Word pastes some) are dropped.
Dates are written as dates, shown dd/mm/yyyy."""

import csv
import re
from datetime import date

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

# ASCII control characters but tab, newline and carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A cell starting with one of these may run as a formula in Excel (a tab or carriage return
# can hide the = that follows).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if not isinstance(value, str):
        return value
    value = CONTROL_CHARACTERS.sub("", value)
    # Prefixed with an apostrophe, Excel shows the value as text.
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def spreadsheet_response(*, fmt: str, name: str, columns: list[str], rows, frozen: str = "A2") -> HttpResponse:
    """`rows` as a CSV or XLSX download called `name-<today>.<fmt>`."""
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    rows = [[safe_cell(cell) for cell in row] for row in rows]
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
        response.write("\ufeff")  # so Excel reads the file as UTF-8
        writer = csv.writer(response)
        writer.writerow(columns)
        writer.writerows([c.strftime("%d/%m/%Y") if isinstance(c, date) else c for c in row] for row in rows)
        return response
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = name.replace("-", " ").capitalize()[:31]
    sheet.append(columns)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
    sheet.freeze_panes = frozen
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    workbook.save(response)
    return response
