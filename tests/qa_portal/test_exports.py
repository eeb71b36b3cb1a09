"""Spreadsheets ready to send on: every XLSX download opens with a bold, frozen, filtered header row,
columns as wide as their content (up to 60 characters), dates as dates, and text exactly as typed;
CSV keeps its guard against formulas."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import ProviderFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

PHONE = "+44 20 7946 0000"
FORMULA = "=SUM(A1:A2)"
LONG = "Agree with the manager a written plan for evening activities that each young person chose. " * 3

EXPORTS = [
    pytest.param("providers:provider_export", "A2", id="providers"),
    pytest.param("reviews:tracker_export", "A2", id="tracker"),
    pytest.param("reviews:compliance_export", "B2", id="compliance"),
]


@pytest.fixture
def recorded(db):
    provider = ProviderFactory(name=FORMULA)
    return RecommendationFactory(visit__provider=provider, text=PHONE, impact_statement=LONG)


def sheet_of(client, url_name):
    response = client.get(reverse(url_name, args=["xlsx"]))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


@pytest.mark.parametrize(("url_name", "frozen"), EXPORTS)
def test_every_xlsx_export_has_a_bold_frozen_filtered_header_and_fitted_columns(
    client, qa_lead, recorded, url_name, frozen
):
    client.force_login(qa_lead)

    sheet = sheet_of(client, url_name)

    header = list(sheet[1])
    assert all(cell.font.b for cell in header)
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == frozen
    assert sheet.auto_filter.ref == f"A1:{header[-1].column_letter}{sheet.max_row}"
    for cell in header:
        width = sheet.column_dimensions[cell.column_letter].width
        assert len(cell.value) < width <= 60, (cell.value, width)


def test_text_is_written_as_text_and_shows_as_typed_in_xlsx_while_csv_keeps_its_guard(client, qa_lead, recorded):
    client.force_login(qa_lead)

    sheet = sheet_of(client, "reviews:tracker_export")

    columns = {cell.value: cell.column_letter for cell in sheet[1]}
    phone, provider = sheet[f"{columns['Recommendation']}2"], sheet[f"{columns['Provider']}2"]
    assert (phone.value, phone.data_type, phone.quotePrefix) == (PHONE, "s", False)
    assert (provider.value, provider.data_type, provider.quotePrefix) == (FORMULA, "s", False)
    # The longest column stops at 60 characters and its text wraps inside it.
    impact = sheet[f"{columns['Impact statement']}2"]
    assert sheet.column_dimensions[columns["Impact statement"]].width == 60
    assert impact.alignment.wrap_text

    # CSV is read by Excel as it likes: there the apostrophe still keeps a formula from running.
    response = client.get(reverse("reviews:tracker_export", args=["csv"]))
    header, row = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    record = dict(zip(header, row, strict=True))
    assert (record["Recommendation"], record["Provider"]) == (f"'{PHONE}", f"'{FORMULA}")


def test_dates_are_dates_shown_day_first_in_xlsx(client, qa_lead, recorded):
    client.force_login(qa_lead)

    sheet = sheet_of(client, "reviews:tracker_export")

    columns = {cell.value: cell.column_letter for cell in sheet[1]}
    due = sheet[f"{columns['Due date']}2"]
    assert due.is_date and isinstance(due.value, datetime)
    assert due.value.date() == recorded.due_date
    assert due.number_format == "DD/MM/YYYY"
    # As wide as the date, and a little room for the filter button.
    assert sheet.column_dimensions[columns["Due date"]].width == len("dd/mm/yyyy") + 2
