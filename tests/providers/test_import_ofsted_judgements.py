"""Importing Ofsted's provider-level CSV: judgements written as codes or words, the provider's current
judgement, and supported accommodation outcomes, recorded for the provider as a whole."""

from datetime import date

import pytest

from providers.models import InspectionScale, OfstedInspection, Setting
from tests.factories import InspectionFactory, SettingFactory
from tests.providers.import_ofsted import counts, ofsted_csv, ofsted_row, rejections, run_import

pytestmark = pytest.mark.django_db


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
