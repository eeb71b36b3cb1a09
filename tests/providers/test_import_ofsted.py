"""Importing Ofsted's provider-level CSV: `manage.py import_ofsted FILE [--dry-run]`. The settings and
inspections it adds or updates, the rows it skips or rejects (each by line, with a reason a person can act
on), and what a dry run reports. The provider is the standing one from tests/conftest.py."""

from datetime import date

import pytest

from providers.models import OfstedInspection, Provider, Setting
from tests.factories import InspectionFactory, ProviderFactory, SettingFactory
from tests.providers.import_ofsted import counts, ofsted_csv, ofsted_row, rejections, run_import

pytestmark = pytest.mark.django_db

# A date in the future, but not so far ahead that no date could be (qa_portal.dates).
NEXT_YEAR = f"01/01/{date.today().year + 1}"


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
        "line 9: URN SC100003 with its full inspection on 12/03/2024 also appears on line 3",
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
        ({"Inspection date": NEXT_YEAR}, f"Inspection date '{NEXT_YEAR}' is in the future"),
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
        ofsted_row("SC930002", **{"Inspection date": NEXT_YEAR}),
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
    InspectionFactory(
        setting=setting, inspection_date=date(2024, 3, 12), publication_date=date(2024, 4, 2), judgement=2
    )

    output = run_import(tmp_path, ofsted_csv([ofsted_row("SC940001")]))

    assert OfstedInspection.objects.get().judgement == 2
    assert counts(output)["unchanged"] == 1
