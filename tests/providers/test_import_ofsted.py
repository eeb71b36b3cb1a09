"""Importing Ofsted's provider-level CSV: `manage.py import_ofsted FILE [--dry-run]`."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from providers.models import InspectionScale, OfstedInspection, Provider, Setting
from tests.factories import InspectionFactory, ProviderFactory, SettingFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "Web link",
    "URN",
    "Provision type",
    "Registration date",
    "Registration status",
    "Name",
    "Address 1",
    "Town",
    "Postcode",
    "Ofsted Region",
    "Local authority",
    "Sector",
    "Places",
    "Organisation which owns the provider",
    "Event type",
    "Inspection date",
    "Publication date",
    "Overall experiences and progress of children and young people",
]


def ofsted_row(urn, **values):
    row = {
        "Web link": f"https://reports.ofsted.gov.uk/provider/2/{urn}",
        "URN": urn,
        "Provision type": "Children's home",
        "Registration date": "01/04/2015",
        "Registration status": "Active",
        "Name": f"Home {urn}",
        "Address 1": "1 High Street",
        "Town": "Canterbury",
        "Postcode": "CT1 2AA",
        "Ofsted Region": "South East",
        "Local authority": "Kent",
        "Sector": "Private",
        "Places": "4",
        "Organisation which owns the provider": "Harbour Lights Fostering",
        "Event type": "Full inspection",
        "Inspection date": "12/03/2024",
        "Publication date": "02/04/2024",
        "Overall experiences and progress of children and young people": "2",
    }
    row.update(values)
    return row


def ofsted_csv(rows, header=HEADER):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()


def run_import(tmp_path, content, *args):
    path = tmp_path / "ofsted.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    out = io.StringIO()
    call_command("import_ofsted", str(path), *args, stdout=out)
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


def test_it_reports_a_bad_date_and_a_duplicate_urn_by_line_and_imports_the_rest(tmp_path, provider):
    SettingFactory(provider=provider, urn="SC100005", name="Old name")
    rows = [
        ofsted_row("SC100002"),  # line 2
        ofsted_row("SC100003"),  # line 3
        ofsted_row("SC100004", **{"Organisation which owns the provider": "Someone Else Ltd"}),  # line 4: skipped
        ofsted_row("SC100005", Name="New name"),  # line 5: our setting, renamed
        ofsted_row("SC100006"),  # line 6
        ofsted_row("SC100007", **{"Inspection date": "31/02/2024"}),  # line 7
        ofsted_row("SC100008"),  # line 8
        ofsted_row("SC100003", Name="Copy"),  # line 9
        ofsted_row("SC100010"),  # line 10
    ]

    output = run_import(tmp_path, ofsted_csv(rows))

    assert rejections(output) == [
        "line 7: Inspection date '31/02/2024' is not a real date",
        "line 9: URN SC100003 also appears on line 3",
    ]
    assert counts(output) == {"created": 5, "updated": 1, "unchanged": 0, "rejected": 2, "skipped": 1}
    assert set(Setting.objects.values_list("urn", flat=True)) == {
        "SC100002",
        "SC100003",
        "SC100005",
        "SC100006",
        "SC100008",
        "SC100010",
    }
    assert Setting.objects.get(urn="SC100003").name == "Home SC100003"
    assert Setting.objects.get(urn="SC100005").name == "New name"
    assert OfstedInspection.objects.count() == 6


def test_importing_the_same_file_again_reports_no_changes(tmp_path, provider):
    rows = [
        ofsted_row("SC100002"),
        ofsted_row("SC100003", **{"Overall experiences and progress of children and young people": "Inadequate"}),
        ofsted_row("SC100004", **{"Organisation which owns the provider": "Someone Else Ltd"}),
        ofsted_row("SC100005", **{"Inspection date": "31/02/2024"}),
        ofsted_row("SC100003"),
    ]
    content = ofsted_csv(rows)
    first = run_import(tmp_path, content)

    second = run_import(tmp_path, content)

    assert counts(first) == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 2, "skipped": 1}
    assert counts(second) == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 2, "skipped": 1}
    assert rejections(second) == rejections(first)
    assert Setting.objects.count() == 2
    assert OfstedInspection.objects.count() == 2


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


def test_it_records_what_a_new_setting_is_from_the_columns(tmp_path, provider):
    row = ofsted_row(
        "sc300001",
        Name="Willow Lodge",
        **{
            "Provision type": "Residential special school (registered as a children's home)",
            "Registration date": "2015-04-01",
            "Registration status": "Active",
            "Address 1": "2 Church Road",
            "Town": "Ashford",
            "Postcode": "tn23 1aa",
            "Local authority": "Kent",
            "Places": "6",
        },
    )

    run_import(tmp_path, ofsted_csv([row]))

    setting = Setting.objects.get(urn="SC300001")
    assert setting.provider == provider
    assert setting.setting_type == "residential_school"
    assert (setting.address, setting.town, setting.postcode, setting.local_authority) == (
        "2 Church Road",
        "Ashford",
        "TN23 1AA",
        "Kent",
    )
    assert setting.capacity == 6
    assert setting.registration_status == "Active"
    assert setting.registration_date == date(2015, 4, 1)


@pytest.mark.parametrize(
    ("provision_type", "setting_type"),
    [
        ("Children's home", "childrens_home"),
        ("Independent fostering agency", "fostering"),
        ("Residential special school", "residential_school"),
        ("Supported accommodation", "supported_accommodation"),
        ("Voluntary adoption agency", "other"),
    ],
)
def test_it_maps_ofsteds_provision_types_to_ours(tmp_path, provider, provision_type, setting_type):
    row = ofsted_row(
        "SC300002",
        **{
            "Provision type": provision_type,
            "Overall experiences and progress of children and young people": "Outcome 1",
        }
        if setting_type == "supported_accommodation"
        else {"Provision type": provision_type},
    )

    run_import(tmp_path, ofsted_csv([row]))

    assert Setting.objects.get(urn="SC300002").setting_type == setting_type


def test_blank_and_redacted_values_never_overwrite_what_we_hold(tmp_path, provider):
    SettingFactory(
        provider=provider,
        urn="SC400001",
        name="Beech House",
        address="3 Secret Lane",
        town="Dover",
        postcode="CT16 1AA",
        capacity=3,
    )
    row = ofsted_row(
        "SC400001",
        Name="Beech House",
        Places="",
        **{
            "Provision type": "",
            "Registration date": "REDACTED",
            "Registration status": "",
            "Address 1": "REDACTED",
            "Town": "redacted",
            "Postcode": "REDACTED",
            "Inspection date": "",
        },
    )

    output = run_import(tmp_path, ofsted_csv([row]))

    setting = Setting.objects.get(urn="SC400001")
    assert (setting.address, setting.town, setting.postcode, setting.capacity) == (
        "3 Secret Lane",
        "Dover",
        "CT16 1AA",
        3,
    )
    assert counts(output)["unchanged"] == 1


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


def test_an_existing_setting_keeps_its_provider_whoever_the_file_says_owns_it(tmp_path, provider):
    other = ProviderFactory(name="Northgate Homes")
    SettingFactory(provider=other, urn="SC600001")

    run_import(tmp_path, ofsted_csv([ofsted_row("SC600001")]))

    assert Setting.objects.get(urn="SC600001").provider == other
    assert OfstedInspection.objects.get().provider == other


def test_rows_for_organisations_we_do_not_hold_are_skipped_not_rejected(tmp_path, provider):
    rows = [ofsted_row(f"SC70000{n}", **{"Organisation which owns the provider": "Elsewhere Care"}) for n in range(3)]

    output = run_import(tmp_path, ofsted_csv(rows))

    assert counts(output) == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0, "skipped": 3}
    assert rejections(output) == []
    assert not Setting.objects.exists()


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"URN": "SC12345X"}, "URN 'SC12345X' is not valid. Enter the Ofsted URN as SC and 6 digits"),
        ({"Inspection date": "01/01/2099"}, "Inspection date '01/01/2099' is in the future"),
        ({"Inspection date": "March 2024"}, "Inspection date 'March 2024' is not a date. Write dates as dd/mm/yyyy"),
        (
            {"Overall experiences and progress of children and young people": "Great"},
            "Judgement 'Great' is not one Ofsted uses",
        ),
        ({"Postcode": "NOT A CODE"}, "Postcode 'NOT A CODE' is not a real postcode"),
        ({"Publication date": "01/03/2024"}, "Publication date '01/03/2024' is before the inspection date"),
        ({"Name": ""}, "Name is missing, so setting SC800001 cannot be added"),
    ],
)
def test_it_rejects_a_row_with_a_reason_a_person_can_act_on(tmp_path, provider, values, reason):
    row = ofsted_row(values.get("URN", "SC800001"), **values)

    output = run_import(tmp_path, ofsted_csv([row]))

    assert len(rejections(output)) == 1
    assert rejections(output)[0].startswith(f"line 2: {reason}")
    assert not Setting.objects.exists()


@pytest.mark.parametrize(
    ("value", "judgement"),
    [
        ("1", 1),
        ("2", 2),
        ("3", 3),
        ("4", 4),
        ("5", 5),
        ("Outstanding", 1),
        ("Good", 2),
        ("Requires improvement to be good", 3),
        ("requires improvement", 3),
        ("Inadequate", 4),
        ("Not judged", 5),
    ],
)
def test_it_reads_judgements_coded_or_in_words(tmp_path, provider, value, judgement):
    row = ofsted_row("SC900001", **{"Overall experiences and progress of children and young people": value})

    run_import(tmp_path, ofsted_csv([row]))

    assert OfstedInspection.objects.get().judgement == judgement


def test_an_inadequate_inspection_makes_it_the_providers_current_judgement(tmp_path, provider):
    setting = SettingFactory(provider=provider, urn="SC910001")
    InspectionFactory(setting=setting, inspection_date=date(2023, 1, 10), judgement=2)
    provider.current_judgement = 2
    provider.save()
    row = ofsted_row(
        "SC910001",
        **{
            "Inspection date": "15/05/2024",
            "Publication date": "20/06/2024",
            "Overall experiences and progress of children and young people": "4",
        },
    )

    output = run_import(tmp_path, ofsted_csv([row]))

    provider.refresh_from_db()
    assert provider.current_judgement == 4
    assert counts(output)["updated"] == 1
    assert setting.inspections.count() == 2


def test_a_supported_accommodation_outcome_is_recorded_for_the_provider_as_a_whole(tmp_path, provider):
    row = ofsted_row(
        "2600001",
        Name="Harbour Lights Supported Living",
        **{
            "Provision type": "Supported accommodation",
            "Overall experiences and progress of children and young people": "Outcome 3: serious weaknesses",
        },
    )

    run_import(tmp_path, ofsted_csv([row]))

    inspection = OfstedInspection.objects.get()
    assert inspection.setting is None
    assert inspection.provider == provider
    assert inspection.scale == InspectionScale.SUPPORTED_ACCOMMODATION
    assert (inspection.sa_outcome, inspection.judgement) == (3, None)
    assert Setting.objects.get(urn="2600001").setting_type == "supported_accommodation"
    provider.refresh_from_db()
    assert provider.current_sa_outcome == 3


def test_a_supported_accommodation_row_needs_an_outcome_not_a_judgement(tmp_path, provider):
    row = ofsted_row(
        "2600002",
        **{
            "Provision type": "Supported accommodation",
            "Overall experiences and progress of children and young people": "Good",
        },
    )

    output = run_import(tmp_path, ofsted_csv([row]))

    assert rejections(output) == [
        "line 2: Outcome 'Good' is not a supported accommodation outcome. Expected Outcome 1, Outcome 2 or "
        "Outcome 3 (or 1 to 3)"
    ]


def test_a_dry_run_writes_nothing_and_reports_what_a_real_run_would_do(tmp_path, provider):
    SettingFactory(provider=provider, urn="SC920001", name="Old name")
    rows = [
        ofsted_row("SC920001", **{"Overall experiences and progress of children and young people": "4"}),
        ofsted_row("SC920002"),
        ofsted_row("SC920003", **{"Inspection date": "99/99/2024"}),
    ]
    content = ofsted_csv(rows)

    dry = run_import(tmp_path, content, "--dry-run")

    assert dry.splitlines()[0] == "Dry run: nothing has been saved."
    assert list(Setting.objects.values_list("urn", "name")) == [("SC920001", "Old name")]
    assert not OfstedInspection.objects.exists()
    assert Provider.objects.get().current_judgement is None

    real = run_import(tmp_path, content)

    assert counts(dry) == counts(real) == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 1, "skipped": 0}
    assert rejections(dry) == rejections(real)


def test_a_row_rejected_for_its_inspection_leaves_no_setting_behind(tmp_path, provider):
    SettingFactory(provider=provider, urn="SC930001", name="Kept name", capacity=2)
    rows = [
        ofsted_row("SC930002", **{"Inspection date": "01/01/2099"}),
        ofsted_row(
            "SC930001",
            Name="Changed name",
            Places="9",
            **{"Overall experiences and progress of children and young people": "Brilliant"},
        ),
    ]

    output = run_import(tmp_path, ofsted_csv(rows))

    assert counts(output)["rejected"] == 2
    assert not Setting.objects.filter(urn="SC930002").exists()
    assert Setting.objects.filter(urn="SC930001", name="Kept name", capacity=2).exists()
    assert not OfstedInspection.objects.exists()


def test_it_does_not_add_an_inspection_it_already_holds(tmp_path, provider):
    setting = SettingFactory(
        provider=provider,
        urn="SC940001",
        name="Home SC940001",
        address="1 High Street",
        registration_status="Active",
        registration_date=date(2015, 4, 1),
    )
    InspectionFactory(setting=setting, inspection_date=date(2024, 3, 12), judgement=3)

    output = run_import(tmp_path, ofsted_csv([ofsted_row("SC940001")]))

    assert OfstedInspection.objects.get().judgement == 3
    assert counts(output)["unchanged"] == 1
