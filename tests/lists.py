"""Reading a list page, and its CSV and XLSX downloads, as a user would: the rows in order."""

import csv
import io
import re

from openpyxl import load_workbook

CELL = re.compile(r"<t([dh])[^>]*>(.*?)</t\1>", re.S)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def table_rows(html: str) -> list[list[str]]:
    """The text of each cell (row headers included) of each body row of the page's first table."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [[_text(cell) for _, cell in CELL.findall(row)] for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def table_links(html: str) -> list[str]:
    """The address of the first link in each body row of the page's first table."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [re.search(r'href="([^"]+)"', row).group(1) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def every_page(client, url: str, params: dict, read=table_rows) -> list:
    """`read` of every page of the list, in order, following the page numbers until the last."""
    rows, number = [], 1
    while True:
        response = client.get(url, {**params, "page": number})
        assert response.status_code == 200
        page = response.context["page"]
        assert page.number == number
        rows.extend(read(response.text) if "<tbody" in response.text else [])
        if not page.has_next():
            return rows
        number += 1


def csv_rows(response) -> list[list[str]]:
    """The CSV download's rows, the header first."""
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    """The XLSX download's first sheet's rows, the header first."""
    return [list(row) for row in load_workbook(io.BytesIO(response.content)).active.values]


def error_next_to(html: str, field: str) -> str:
    """The error message shown above the filter form's field named `field`, or "" if none."""
    start = html.index(f'id="div_id_{field}"')
    group = html[start : start + re.search(r"<(select|input)", html[start:]).start()]
    message = re.search(r'govuk-error-message">(.*)', group, re.S)
    return _text(message.group(1)).removeprefix("Error:").strip() if message else ""
