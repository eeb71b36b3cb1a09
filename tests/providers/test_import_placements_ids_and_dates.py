"""The placements import, as spreadsheets leave case-record extracts: Excel drops the leading zeros of
numeric IDs (the young person held is found, never a second one, and the preview says so), and dates
need a 4-digit year and, for a date of birth, an age the cohort allows: the young person form's rules."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from providers.models import Placement, YoungPerson
from tests.factories import PlacementFactory, ProviderFactory, YoungPersonFactory
from tests.providers.test_import_placements import counts, placement_row, placements_csv, rejections, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return ProviderFactory(name="Harbour Lights Fostering")


def notes(output):
    return [line for line in output.splitlines() if line.startswith("Note on line ")]


def test_an_id_excel_stripped_of_its_leading_zeros_is_the_young_person_held(tmp_path, provider):
    person = YoungPersonFactory(case_record_id="0012345", initials="SB", date_of_birth=date(2012, 2, 14))
    rows = [
        placement_row("7654321", Initials="KL"),
        placement_row("12345", Initials="SB", **{"Date of birth": "14/02/2012"}),
    ]

    output = run_import(tmp_path, placements_csv(rows))

    assert counts(output)["created"] == 2
    assert YoungPerson.objects.count() == 2
    assert Placement.objects.get(provider=provider, young_person__initials="SB").young_person == person
    assert YoungPerson.objects.get(pk=person.pk).case_record_id == "0012345"
    assert notes(output) == [
        "Note on line 3: ID 12345 taken as 0012345, SB's record (leading zeros dropped, as Excel does)"
    ]


def test_importing_the_stripped_ids_again_changes_nothing(tmp_path, provider):
    person = YoungPersonFactory(case_record_id="0012345", initials="SB", date_of_birth=date(2010, 2, 14))
    PlacementFactory(young_person=person, provider=provider, start_date=date(2024, 9, 3))

    output = run_import(tmp_path, placements_csv([placement_row("12345", Initials="SB", SEND="N")]))

    assert counts(output) == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0, "skipped": 0}
    assert YoungPerson.objects.count() == 1
    assert notes(output) == [
        "Note on line 2: ID 12345 taken as 0012345, SB's record (leading zeros dropped, as Excel does)"
    ]


def test_one_young_person_written_with_and_without_leading_zeros_in_one_file_is_one_record(tmp_path, provider):
    rows = [
        placement_row("0012345", **{"End date": "01/01/2025"}),
        placement_row("12345", **{"Start date": "01/01/2025"}),
        placement_row("012345", **{"Start date": "01/01/2025"}),
    ]

    output = run_import(tmp_path, placements_csv(rows))

    assert YoungPerson.objects.get().case_record_id == "0012345"
    assert Placement.objects.count() == 2
    assert rejections(output) == [
        "line 4: This placement (012345 with Harbour Lights Fostering from 01/01/2025) also appears on line 3"
    ]
    assert notes(output) == [
        "Note on line 3: ID 12345 taken as 0012345, JB's record (leading zeros dropped, as Excel does)"
    ]


# Case 07, through the import: the same years typed short, refused with the line named.
@pytest.mark.parametrize(
    ("column", "typed"),
    [
        ("Date of birth", "14/02/0010"),
        ("Date of birth", "14/02/10"),
        ("Date of birth", "01/04/68"),
        ("Start date", "1/4/24"),
    ],
)
def test_case_07_a_short_year_is_refused_with_the_line_named(tmp_path, provider, column, typed):
    output = run_import(tmp_path, placements_csv([placement_row("7700002", **{column: typed})]))

    year = timezone.localdate().year
    assert rejections(output) == [f"line 2: {column} '{typed}': enter the year as 4 digits, for example {year}"]
    assert not YoungPerson.objects.exists()


def test_a_date_as_excel_shows_it_is_read(tmp_path, provider):
    run_import(tmp_path, placements_csv([placement_row("7700004", **{"Start date": "01-Apr-2024"})]))

    assert Placement.objects.get().start_date == date(2024, 4, 1)


def test_a_date_of_birth_the_cohort_does_not_allow_is_refused(tmp_path, provider):
    eighteen = timezone.localdate() - relativedelta(years=18)
    rows = [
        placement_row("7700005", **{"Date of birth": f"{eighteen:%d/%m/%Y}"}),
        placement_row("7700006", Cohort="Care leaver", **{"Date of birth": "14/02/2016"}),
    ]

    output = run_import(tmp_path, placements_csv(rows))

    age = timezone.localdate().year - 2016 - (timezone.localdate() < date(timezone.localdate().year, 2, 14))
    assert rejections(output) == [
        f"line 2: Date of birth '{eighteen:%d/%m/%Y}': a child in care is under 18, and this date of birth makes "
        "them 18. Check the date of birth, or the cohort",
        "line 3: Date of birth '14/02/2016': a care leaver is 16 to 25, and this date of birth makes them "
        f"{age}. Check the date of birth, or the cohort",
    ]
    assert not YoungPerson.objects.exists()
