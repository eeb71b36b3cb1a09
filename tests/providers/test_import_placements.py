"""Importing placements from the case-record system: `manage.py import_placements FILE [--dry-run]`."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from providers.models import Placement, YoungPerson
from tests.factories import PlacementFactory, ProviderFactory, SettingFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

# A date in the future, but not so far ahead that no date could be (qa_portal.dates).
NEXT_YEAR = f"01/01/{date.today().year + 1}"

HEADER = [
    "Case record ID",
    "Initials",
    "Date of birth",
    "Cohort",
    "EHCP",
    "SEND",
    "UASC",
    "Provider",
    "Setting URN",
    "Start date",
    "End date",
    "High cost",
]


def placement_row(case_record_id="1234567", **values):
    row = {
        "Case record ID": case_record_id,
        "Initials": "JB",
        "Date of birth": "14/02/2010",
        "Cohort": "Child in care",
        "EHCP": "N",
        "SEND": "Y",
        "UASC": "N",
        "Provider": "Harbour Lights Fostering",
        "Setting URN": "",
        "Start date": "03/09/2024",
        "End date": "",
        "High cost": "N",
    }
    row.update(values)
    return row


def placements_csv(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def run_import(tmp_path, content, *args):
    path = tmp_path / "placements.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = io.StringIO()
    call_command("import_placements", str(path), *args, stdout=out)
    return out.getvalue()


def counts(output):
    wanted = ("Created", "Updated", "Unchanged", "Rejected", "Skipped")
    return {
        name.lower(): int(value)
        for name, _, value in (line.partition(": ") for line in output.splitlines())
        if name in wanted
    }


def rejections(output):
    return [line for line in output.splitlines() if line.startswith("line ")]


@pytest.fixture
def provider():
    return ProviderFactory(name="Harbour Lights Fostering")


def test_it_adds_young_people_and_their_placements(tmp_path, provider):
    setting = SettingFactory(provider=provider, urn="SC123456")
    rows = [
        placement_row("1234567"),
        placement_row(
            "1234568",
            Initials="a.k.",
            Cohort="care leaver",
            EHCP="Yes",
            UASC="y",
            **{"Setting URN": "sc123456", "Start date": "15/01/2024", "End date": "30/06/2025", "High cost": "Y"},
        ),
    ]

    output = run_import(tmp_path, placements_csv(rows))

    assert counts(output) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 0}
    person = YoungPerson.objects.get(case_record_id="1234568")
    assert (person.initials, person.date_of_birth, person.cohort) == ("AK", date(2010, 2, 14), "care_leaver")
    assert (person.ehcp, person.send, person.uasc) == (True, True, True)
    placement = person.placements.get()
    assert (placement.provider, placement.setting, placement.high_cost) == (provider, setting, True)
    assert (placement.start_date, placement.end_date) == (date(2024, 1, 15), date(2025, 6, 30))


def test_importing_the_same_file_again_reports_no_changes(tmp_path, provider):
    rows = [
        placement_row("1234567", **{"End date": "01/03/2025"}),
        placement_row("1234567", Provider="HARBOUR LIGHTS FOSTERING", **{"Start date": "01/03/2025"}),
        placement_row("7654321", Initials="ZZ", Provider="Nobody Ltd"),
    ]
    content = placements_csv(rows)
    first = run_import(tmp_path, content)

    second = run_import(tmp_path, content)

    assert counts(first) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "skipped": 0}
    assert counts(second) == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 1, "skipped": 0}
    assert rejections(second) == rejections(first)
    assert Placement.objects.count() == 2
    assert YoungPerson.objects.count() == 1


def test_it_updates_changed_details_of_a_young_person_and_their_placement(tmp_path, provider):
    setting = SettingFactory(provider=provider, urn="SC123456")
    person = YoungPersonFactory(case_record_id="1234567", initials="JD", date_of_birth=date(2010, 2, 14))
    placement = PlacementFactory(young_person=person, provider=provider, start_date=date(2024, 9, 3))
    row = placement_row(
        "1234567",
        Initials="JB",
        Cohort="Care leaver",
        **{"Setting URN": "SC123456", "End date": "01/10/2025", "High cost": "Y"},
    )

    output = run_import(tmp_path, placements_csv([row]))

    assert counts(output)["updated"] == 1
    person.refresh_from_db()
    placement.refresh_from_db()
    assert (person.initials, person.cohort, person.send) == ("JB", "care_leaver", True)
    assert (placement.setting, placement.end_date, placement.high_cost) == (setting, date(2025, 10, 1), True)
    assert Placement.objects.count() == 1


def test_a_blank_end_date_does_not_reopen_an_ended_placement(tmp_path, provider):
    person = YoungPersonFactory(
        case_record_id="1234567", initials="JB", date_of_birth=date(2010, 2, 14), send=True, cohort="child_in_care"
    )
    PlacementFactory(young_person=person, provider=provider, start_date=date(2024, 9, 3), end_date=date(2025, 1, 1))

    output = run_import(tmp_path, placements_csv([placement_row("1234567", **{"End date": "", "High cost": ""})]))

    assert counts(output)["unchanged"] == 1
    assert Placement.objects.get().end_date == date(2025, 1, 1)


def test_an_overlapping_placement_is_rejected_naming_the_other_placement(tmp_path, provider):
    ProviderFactory(name="Northgate Homes")
    rows = [
        placement_row("1234567", **{"Start date": "01/01/2024"}),
        placement_row("1234567", Provider="Northgate Homes", **{"Start date": "01/06/2024"}),
    ]

    output = run_import(tmp_path, placements_csv(rows))

    assert rejections(output) == [
        "line 3: Start date: JB is already placed with Harbour Lights Fostering from 01/01/2024 to now"
    ]
    assert list(Placement.objects.values_list("provider__name", flat=True)) == ["Harbour Lights Fostering"]


def test_a_rejected_placement_leaves_the_young_person_as_they_were(tmp_path, provider):
    person = YoungPersonFactory(case_record_id="1234567", initials="AB")
    PlacementFactory(young_person=person, provider=provider, start_date=date(2024, 1, 1))
    ProviderFactory(name="Northgate Homes")
    row = placement_row("1234567", Initials="CD", Provider="Northgate Homes", **{"Start date": "01/06/2024"})

    output = run_import(tmp_path, placements_csv([row]))

    assert counts(output)["rejected"] == 1
    person.refresh_from_db()
    assert person.initials == "AB"
    assert Placement.objects.count() == 1


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        (
            {"Provider": "Nobody Ltd"},
            "Provider 'Nobody Ltd' is not in the provider register. Check the spelling, or add the provider first",
        ),
        ({"Setting URN": "SC999999"}, "Setting URN SC999999 is not in the provider register"),
        (
            {"Setting URN": "SC654321"},
            "Setting URN SC654321 (Northgate House) belongs to Northgate Homes, not Harbour Lights Fostering",
        ),
        ({"Cohort": "Adopted"}, "Cohort 'Adopted' is not one we use. Write Child in care or Care leaver"),
        ({"EHCP": "maybe"}, "EHCP 'maybe' must be Y or N"),
        ({"Start date": "31/09/2024"}, "Start date '31/09/2024' is not a real date"),
        ({"Date of birth": NEXT_YEAR}, f"Date of birth '{NEXT_YEAR}' is in the future"),
        ({"End date": "01/08/2024"}, "End date '01/08/2024' is before the start date '03/09/2024'"),
        ({"Initials": "Jonathan"}, "Initials: Enter initials only, as 1 to 4 capital letters, like JB"),
        ({"Initials": "", "Start date": ""}, "Initials and Start date are missing"),
    ],
)
def test_it_rejects_a_row_with_a_reason_a_person_can_act_on(tmp_path, provider, values, reason):
    SettingFactory(provider=ProviderFactory(name="Northgate Homes"), urn="SC654321", name="Northgate House")

    output = run_import(tmp_path, placements_csv([placement_row("1234567", **values)]))

    assert rejections(output) == [f"line 2: {reason}"]
    assert not YoungPerson.objects.exists()
    assert not Placement.objects.exists()


def test_a_placement_repeated_in_the_file_is_rejected(tmp_path, provider):
    rows = [placement_row("1234567"), placement_row("1234567", **{"High cost": "Y"})]

    output = run_import(tmp_path, placements_csv(rows))

    assert rejections(output) == [
        "line 3: This placement (1234567 with Harbour Lights Fostering from 03/09/2024) also appears on line 2"
    ]


def test_a_young_person_with_different_details_on_two_lines_is_rejected(tmp_path, provider):
    rows = [
        placement_row("1234567", **{"End date": "01/01/2025"}),
        placement_row("1234567", Initials="JX", **{"Start date": "01/01/2025"}),
    ]

    output = run_import(tmp_path, placements_csv(rows))

    assert rejections(output) == ["line 3: Case record ID 1234567 has a different initials on line 2"]


def test_it_reads_an_excel_file_with_a_byte_order_mark_and_windows_1252_text(tmp_path):
    ProviderFactory(name="Café Care Ltd")
    content = b"\xef\xbb\xbf" + placements_csv(
        [placement_row("1234567", Provider="café care ltd", **{"Start date": "3/9/2024"})]
    ).encode("cp1252")

    output = run_import(tmp_path, content)

    assert counts(output)["created"] == 1
    assert Placement.objects.get().provider.name == "Café Care Ltd"
    assert Placement.objects.get().start_date == date(2024, 9, 3)


def test_it_ignores_extra_columns_and_column_order(tmp_path, provider):
    header = ["start date", "Social worker", " PROVIDER ", "cohort", "date of birth", "initials", "case record id"]
    row = {
        "start date": "2024-09-03",
        "Social worker": "Not imported",
        " PROVIDER ": "Harbour Lights Fostering",
        "cohort": "Child in care",
        "date of birth": "14-02-2010",
        "initials": "JB",
        "case record id": "1234567",
    }

    output = run_import(tmp_path, placements_csv([row], header=header))

    assert counts(output)["created"] == 1
    person = YoungPerson.objects.get()
    assert (person.ehcp, person.send, person.uasc) == (False, False, False)


def test_a_file_without_the_required_columns_is_refused_listing_the_columns_found(tmp_path, provider):
    with pytest.raises(CommandError) as refused:
        run_import(tmp_path, "Case record ID,Initials\r\n1234567,JB\r\n")

    assert str(refused.value).endswith(
        "The file has no Date of birth, Cohort, Provider and Start date columns. "
        "Columns found: Case record ID, Initials"
    )


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="The file is empty"):
        run_import(tmp_path, b"")


def test_a_dry_run_writes_nothing_and_reports_what_a_real_run_would_do(tmp_path, provider):
    person = YoungPersonFactory(case_record_id="1234567", initials="JD")
    rows = [placement_row("1234567"), placement_row("7654321", Initials="KL"), placement_row("1", Cohort="?")]
    content = placements_csv(rows)

    dry = run_import(tmp_path, content, "--dry-run")

    assert dry.splitlines()[0] == "Dry run: nothing has been saved."
    assert list(YoungPerson.objects.values_list("case_record_id", "initials")) == [("1234567", "JD")]
    assert not Placement.objects.exists()

    real = run_import(tmp_path, content)

    assert counts(dry) == counts(real) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1, "skipped": 0}
    person.refresh_from_db()
    assert person.initials == "JB"


def test_the_example_file_imports_cleanly(tmp_path):
    ProviderFactory(name="Harbour Lights Fostering")
    SettingFactory(provider=ProviderFactory(name="Northgate Homes"), urn="SC123456")
    example = Path(settings.BASE_DIR) / "static" / "examples" / "placements-example.csv"

    output = run_import(tmp_path, example.read_bytes())

    assert counts(output) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 0}
