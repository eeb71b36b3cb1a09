"""Ofsted's files in each shape Ofsted publishes them: the "as at" file, whose date column is "Latest full
inspection date" (case 02); new homes "Not yet inspected" (case 03); and the in-year file, one row per
inspection event (full inspections, monitoring, assurance and interim visits) with its publication date.
The current judgement is the latest full inspection's; the same event twice is one record."""

from datetime import date
from pathlib import Path

import pytest

from providers.models import OfstedInspection, Provider, Setting
from providers.services import refresh_judgements
from tests.factories import InspectionFactory, ProviderFactory, SettingFactory
from tests.providers.import_ofsted import counts, ofsted_csv, ofsted_row, rejections, run_import

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
CASE_02 = DATA / "02-ofsted-at-31-aug-latest-full-inspection-date.csv"
CASE_03 = DATA / "03-ofsted-not-yet-inspected-judgement-text.csv"
JUDGEMENT = "Overall experiences and progress of children and young people"

IN_YEAR_HEADER = [
    "URN",
    "Provision type",
    "Name",
    "Local authority",
    "Organisation which owns the provider",
    "Inspection event type",
    "Inspection date",
    "Publication date",
    JUDGEMENT,
]


def in_year_row(event, inspected, published, judgement, urn="SC300001"):
    return ofsted_row(
        urn,
        Name="Heron House",
        **{
            "Inspection event type": event,
            "Inspection date": inspected,
            "Publication date": published,
            JUDGEMENT: judgement,
        },
    )


def test_case_02_the_latest_full_inspection_date_column_is_read_and_the_inadequate_recorded(tmp_path):
    oakhurst = ProviderFactory(name="Oakhurst Children's Homes")
    sandpiper = SettingFactory(provider=oakhurst, urn="SC512764", name="Sandpiper Lodge", local_authority="Medway")
    InspectionFactory(setting=sandpiper, inspection_date=date(2022, 5, 10), judgement=2)
    refresh_judgements(oakhurst)

    output = run_import(tmp_path, CASE_02.read_bytes())

    sandpiper.refresh_from_db()
    assert sandpiper.local_authority == "Kent"
    inspection = sandpiper.inspections.get(inspection_date=date(2025, 6, 3))
    assert (inspection.judgement, inspection.event_type) == (4, "full")
    wren = Setting.objects.get(urn="SC633048")
    assert wren.inspections.get().inspection_date == date(2025, 7, 17)
    oakhurst.refresh_from_db()
    assert oakhurst.current_judgement == 4
    assert rejections(output) == []
    assert "Warning" not in output


def test_case_03_homes_not_yet_inspected_are_added_without_a_judgement(tmp_path):
    oakhurst = ProviderFactory(name="Oakhurst Children's Homes")
    cheviot = ProviderFactory(name="Cheviot View Homes")

    output = run_import(tmp_path, CASE_03.read_bytes())

    assert rejections(output) == []
    assert counts(output)["created"] == 2
    assert Setting.objects.get(urn="SC712345").provider == oakhurst
    assert Setting.objects.get(urn="SC712346").provider == cheviot
    assert not OfstedInspection.objects.exists()
    assert list(Provider.objects.values_list("current_judgement", flat=True)) == [None, None]


@pytest.mark.parametrize("words", ["NYI", "Not inspected", "not yet inspected", "No judgement", "-", "n/a", "N/A"])
def test_words_that_mean_no_judgement_add_the_home_without_one(tmp_path, provider, words):
    row = ofsted_row("SC700001", **{"Inspection date": "", JUDGEMENT: words})

    output = run_import(tmp_path, ofsted_csv([row]))

    assert rejections(output) == []
    assert Setting.objects.filter(urn="SC700001").exists()
    assert not OfstedInspection.objects.exists()


@pytest.mark.parametrize(
    ("date_header", "judgement_header"),
    [
        ("Latest full inspection date", "Latest full inspection judgement"),
        ("Date of last inspection", "Overall effectiveness"),
        ("latest full inspection date", "Latest full inspection: Overall experiences and progress of children"),
        ("Date of inspection", "Overall judgement"),
    ],
)
def test_the_names_ofsted_gives_the_date_and_judgement_columns_are_recognised(
    tmp_path, provider, date_header, judgement_header
):
    header = ["URN", "Name", "Organisation which owns the provider", date_header, judgement_header]
    row = {header[0]: "SC710001", header[1]: "Elm Court", header[2]: provider.name}
    row.update({date_header: "03/06/2025", judgement_header: "Inadequate"})

    run_import(tmp_path, ofsted_csv([row], header=header))

    inspection = OfstedInspection.objects.get()
    assert (inspection.inspection_date, inspection.judgement) == (date(2025, 6, 3), 4)


def test_an_in_year_file_records_every_event_and_the_current_judgement_is_the_latest_full_inspections(
    tmp_path, provider
):
    rows = [
        in_year_row("Full inspection", "10/01/2024", "08/02/2024", "Good"),
        in_year_row("Full inspection", "02/07/2024", "30/07/2024", "Inadequate"),
        # A later monitoring visit, with a judgement in the file: recorded, but it is not a full inspection.
        in_year_row("Monitoring visit", "15/10/2024", "05/11/2024", "Requires improvement to be good"),
    ]
    content = ofsted_csv(rows, header=IN_YEAR_HEADER)

    first = run_import(tmp_path, content)

    assert rejections(first) == []
    setting = Setting.objects.get(urn="SC300001")
    assert list(
        setting.inspections.order_by("inspection_date").values_list(
            "event_type", "inspection_date", "publication_date", "judgement"
        )
    ) == [
        ("full", date(2024, 1, 10), date(2024, 2, 8), 2),
        ("full", date(2024, 7, 2), date(2024, 7, 30), 4),
        ("monitoring", date(2024, 10, 15), date(2024, 11, 5), 3),
    ]
    provider.refresh_from_db()
    assert provider.current_judgement == 4

    second = run_import(tmp_path, content)

    assert counts(second) == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0, "skipped": 0}
    assert setting.inspections.count() == 3
    provider.refresh_from_db()
    assert provider.current_judgement == 4


def test_visits_without_a_judgement_are_recorded_with_their_type(tmp_path, provider):
    rows = [
        in_year_row("Full inspection", "10/01/2024", "08/02/2024", "Requires improvement to be good"),
        in_year_row("Assurance visit", "11/03/2024", "", ""),
        in_year_row("Interim inspection", "12/04/2024", "", "Sustained effectiveness"),
    ]

    output = run_import(tmp_path, ofsted_csv(rows, header=IN_YEAR_HEADER))

    assert rejections(output) == []
    assert sorted(OfstedInspection.objects.values_list("event_type", "judgement")) == [
        ("assurance", None),
        ("full", 3),
        ("other", None),
    ]
    provider.refresh_from_db()
    assert provider.current_judgement == 3


def test_the_same_event_twice_in_a_file_is_a_duplicate_and_two_dates_are_two_inspections(tmp_path, provider):
    rows = [
        in_year_row("Full inspection", "10/01/2024", "08/02/2024", "Good"),  # line 2
        in_year_row("Full inspection", "10/01/2024", "08/02/2024", "Good"),  # line 3: the same event
        in_year_row("Full inspection", "11/01/2024", "08/02/2024", "Good"),  # line 4: another day
    ]

    output = run_import(tmp_path, ofsted_csv(rows, header=IN_YEAR_HEADER))

    assert rejections(output) == [
        "line 3: URN SC300001 with its full inspection on 10/01/2024 also appears on line 2",
    ]
    assert OfstedInspection.objects.count() == 2


def test_a_full_inspection_without_a_judgement_is_rejected_with_the_reason(tmp_path, provider):
    output = run_import(
        tmp_path, ofsted_csv([in_year_row("Full inspection", "10/01/2024", "", "")], header=IN_YEAR_HEADER)
    )

    assert rejections(output) == ["line 2: The full inspection on 10/01/2024 has no judgement (the file says nothing)"]


def test_the_current_judgement_ignores_a_later_visit_recorded_by_hand(provider):
    setting = SettingFactory(provider=provider)
    InspectionFactory(setting=setting, inspection_date=date(2024, 1, 10), judgement=4)
    InspectionFactory(setting=setting, inspection_date=date(2024, 5, 1), judgement=2, event_type="monitoring")
    InspectionFactory(setting=setting, inspection_date=date(2024, 6, 1), judgement=None, event_type="assurance")

    refresh_judgements(provider)

    provider.refresh_from_db()
    assert provider.current_judgement == 4
