"""Importing Ofsted's provider-level CSV: reading the file however it was saved (a byte-order mark,
Windows-1252 text, columns in any order or case), and refusing with a clear reason a file it cannot use."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from providers.models import Setting
from tests.factories import ProviderFactory
from tests.providers.import_ofsted import counts, ofsted_csv, ofsted_row, rejections, run_import

pytestmark = pytest.mark.django_db


def test_it_reads_an_excel_file_with_a_byte_order_mark_and_windows_1252_text(tmp_path):
    ProviderFactory(name="Café Care Ltd")
    rows = [
        ofsted_row(
            "SC200001",
            Name="St Mary\u2019s House",
            **{"Organisation which owns the provider": "CAFÉ CARE LTD", "Address 1": "Flat 2, The Old Mill\nMill Lane"},
        ),
        ofsted_row("SC200002", **{"Organisation which owns the provider": "Café Care Ltd", "Places": "four"}),
    ]
    content = b"\xef\xbb\xbf" + ofsted_csv(rows).encode("cp1252")

    output = run_import(tmp_path, content)

    setting = Setting.objects.get(urn="SC200001")
    assert setting.name == "St Mary\u2019s House"
    assert setting.address == "Flat 2, The Old Mill\nMill Lane"
    assert setting.provider.name == "Café Care Ltd"
    # The quoted address spans lines 2 and 3, so the next row starts on line 4.
    assert rejections(output) == ["line 4: Places 'four' is not a whole number"]


def test_it_reads_a_utf8_file_with_a_byte_order_mark(tmp_path, provider):
    content = "\ufeff" + ofsted_csv([ofsted_row("SC200003", Name="Ty\u2019n Lôn")])

    output = run_import(tmp_path, content.encode("utf-8"))

    assert counts(output)["created"] == 1
    assert Setting.objects.get(urn="SC200003").name == "Ty\u2019n Lôn"


def test_it_ignores_extra_columns_and_column_order_and_header_case(tmp_path, provider):
    header = [
        "  overall experiences and progress of children and young people ",
        "Something Ofsted added",
        "name",
        " urn ",
        "ORGANISATION WHICH OWNS THE PROVIDER",
        "inspection date",
    ]
    content = ofsted_csv(
        [
            {
                header[0]: "Good",
                header[1]: "anything",
                header[2]: "Elm Court",
                header[3]: "SC500001",
                header[4]: "harbour lights fostering",
                header[5]: "5/1/2024",
            }
        ],
        header=header,
    )

    output = run_import(tmp_path, content)

    assert counts(output)["created"] == 1
    setting = Setting.objects.get(urn="SC500001")
    assert setting.name == "Elm Court"
    assert setting.inspections.get().inspection_date == date(2024, 1, 5)


def test_a_file_without_a_urn_column_is_refused_listing_the_columns_found(tmp_path, provider):
    content = "Name,Town\r\nOak House,Dover\r\n"

    with pytest.raises(CommandError) as refused:
        run_import(tmp_path, content)

    assert str(refused.value).endswith("The file has no URN column. Columns found: Name, Town")
    assert not Setting.objects.exists()


def test_a_file_that_cannot_be_read_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_ofsted", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_a_spreadsheet_saved_as_xlsx_is_refused(tmp_path):
    with pytest.raises(CommandError, match="not a CSV file"):
        run_import(tmp_path, b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
