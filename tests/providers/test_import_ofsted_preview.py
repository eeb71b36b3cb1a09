"""The Ofsted import's preview is never a silent partial import: a file whose judgements have no date column
gets a warning and imports nothing until it is acknowledged; skipped rows are listed with their line and
organisation; an organisation whose name nearly matches one of ours is offered for matching; a judgement
that differs from ours for the same inspection is a conflict to resolve, not "no change"."""

from datetime import date
from pathlib import Path

import pytest

from providers.models import ImportRun, OfstedInspection, Setting
from tests.factories import InspectionFactory, ProviderFactory, SettingFactory
from tests.providers.import_ofsted import counts, ofsted_csv, ofsted_row, run_import
from tests.providers.test_import_pages import page_title, text_of, upload

pytestmark = pytest.mark.django_db

CASE_02 = Path(__file__).parent / "data" / "02-ofsted-at-31-aug-latest-full-inspection-date.csv"


@pytest.fixture
def officer_client(client, commissioning_officer):
    client.force_login(commissioning_officer)
    return client


@pytest.fixture
def oakhurst():
    return ProviderFactory(name="Oakhurst Children's Homes")


def undated_case_02() -> bytes:
    """Case 02 with its date column under a name we do not know."""
    return CASE_02.read_bytes().replace(b"Latest full inspection date", b"When inspected")


def test_case_02_the_preview_shows_the_inadequate_it_will_record(officer_client, oakhurst):
    SettingFactory(provider=oakhurst, urn="SC512764", name="Sandpiper Lodge", local_authority="Medway", capacity=3)

    page = text_of(officer_client.get(upload(officer_client, "ofsted", CASE_02.read_bytes()).url))

    assert "SC512764 Sandpiper Lodge: changed local authority; new full inspection on 03/06/2025: Inadequate" in page
    assert "no column we recognise" not in page


def test_judgements_without_a_date_column_are_warned_of_and_nothing_is_imported_until_acknowledged(
    officer_client, oakhurst
):
    run_url = upload(officer_client, "ofsted", undated_case_02()).url

    preview = officer_client.get(run_url)

    page = text_of(preview)
    assert (
        "This file has judgements but no column we recognise as the inspection date: URN, Provision type, Name, "
        "Local authority, Sector, Places, Organisation which owns the provider, When inspected, Overall experiences "
        "and progress of children and young people. Nothing will be imported from it until" in page
    )
    assert "Import the settings in this file without their judgements" in page

    refused = officer_client.post(run_url)

    assert refused.status_code == 200
    assert "There is a problem" in text_of(refused)
    assert "Confirm that the settings should be imported without their judgements" in text_of(refused)
    assert page_title(refused).startswith("Error: ")
    assert not Setting.objects.exists()
    assert ImportRun.objects.get().applied_at is None

    officer_client.post(run_url, {"acknowledge": "no_inspection_date"})

    assert set(Setting.objects.values_list("urn", flat=True)) == {"SC512764", "SC633048"}
    assert not OfstedInspection.objects.exists()
    assert ImportRun.objects.get().applied_at is not None


def test_the_command_refuses_a_file_with_a_warning_unless_told_to_go_ahead(tmp_path, oakhurst):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no column we recognise as the inspection date"):
        run_import(tmp_path, undated_case_02())
    assert not Setting.objects.exists()

    output = run_import(tmp_path, undated_case_02(), "--acknowledge-warnings")

    assert counts(output)["created"] == 2
    assert not OfstedInspection.objects.exists()


def test_skipped_rows_are_listed_with_their_line_and_organisation(officer_client, oakhurst):
    content = ofsted_csv(
        [
            ofsted_row("SC100001", **{"Organisation which owns the provider": "Oakhurst Children's Homes"}),
            ofsted_row("SC100002", Name="Bay Tree House", **{"Organisation which owns the provider": "Elsewhere Care"}),
        ]
    )

    page = text_of(officer_client.get(upload(officer_client, "ofsted", content).url))

    assert "Rows skipped: the organisation is not in the provider register" in page
    assert "3 Bay Tree House SC100002 Elsewhere Care" in page


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ("Oakhurst Children's Homes Ltd", "Oakhurst Children's Homes Limited"),
        ("Harbour & Bay Care", "Harbour and Bay Care"),
        ("The Fellside Trust", "Fellside Trust"),
        ("St. Mary's Homes", "St Marys Homes"),
        ("Kestrel  Care", "KESTREL CARE LTD"),
    ],
)
def test_names_that_nearly_match_are_offered_not_skipped(tmp_path, ours, theirs):
    ProviderFactory(name=ours)

    output = run_import(
        tmp_path, ofsted_csv([ofsted_row("SC100001", **{"Organisation which owns the provider": theirs})])
    )

    assert f"lines 2: '{theirs}' nearly matches {ours}" in output


def test_an_organisation_whose_name_nearly_matches_is_offered_for_matching_then_imported(officer_client):
    oakhurst = ProviderFactory(name="Oakhurst Children's Homes Ltd")
    content = ofsted_csv(
        [
            ofsted_row("SC100001", **{"Organisation which owns the provider": "The Oakhurst Childrens Homes Limited"}),
            ofsted_row("SC100002", **{"Organisation which owns the provider": "The Oakhurst Childrens Homes Limited"}),
        ]
    )
    run_url = upload(officer_client, "ofsted", content).url

    preview = officer_client.get(run_url)

    page = text_of(preview)
    assert "Is \u2018The Oakhurst Childrens Homes Limited\u2019 one of our providers?" in page
    assert "2 rows of the file are for it: lines 2, 3" in page
    assert "This is Oakhurst Children's Homes Ltd" in page
    assert "Skip: it is not one of ours" in page
    assert "Waiting for your answer 2" in page
    assert "Import 2 rows" not in page
    assert ImportRun.objects.get().preview["skipped"] == 0

    unanswered = officer_client.post(run_url, {"action": "answers"})

    assert "Choose whether 'The Oakhurst Childrens Homes Limited' is one of our providers" in text_of(unanswered)

    answered = officer_client.post(run_url, {"action": "answers", "match-0": str(oakhurst.pk)}, follow=True)

    page = text_of(answered)
    assert "Answers saved" in page
    assert "New 2" in page
    assert "Import 2 rows" in page

    officer_client.post(run_url)

    assert set(Setting.objects.values_list("provider", flat=True)) == {oakhurst.pk}
    assert Setting.objects.count() == 2


def test_skipping_a_near_match_lists_its_rows_as_skipped(officer_client):
    ProviderFactory(name="Oakhurst Children's Homes Ltd")
    content = ofsted_csv([ofsted_row("SC100001", **{"Organisation which owns the provider": "Oakhurst Homes"})])
    content += ofsted_csv(
        [ofsted_row("SC100002", **{"Organisation which owns the provider": "OAKHURST CHILDRENS HOMES"})]
    ).split("\r\n", 1)[1]
    run_url = upload(officer_client, "ofsted", content).url

    page = text_of(officer_client.post(run_url, {"action": "answers", "match-0": "skip"}, follow=True))

    assert "Skipped 2" in page
    assert "OAKHURST CHILDRENS HOMES You said this is not Oakhurst Children's Homes Ltd" in page
    assert "There is nothing to import" in page


def test_a_judgement_that_differs_from_ours_is_a_conflict_to_resolve(officer_client, oakhurst):
    sandpiper = SettingFactory(provider=oakhurst, urn="SC512764", name="Sandpiper Lodge", local_authority="Kent")
    InspectionFactory(setting=sandpiper, inspection_date=date(2025, 6, 3), judgement=2)
    run_url = upload(officer_client, "ofsted", CASE_02.read_bytes()).url

    preview = text_of(officer_client.get(run_url))

    assert "Line 2: the full inspection of Sandpiper Lodge (SC512764) on 03/06/2025" in preview
    assert "We hold Good; the file says Inadequate" in preview
    assert "Keep ours: Good" in preview and "Take the file's: Inadequate" in preview
    assert "No change 0" in preview
    assert "Waiting for your answer 1" in preview

    officer_client.post(run_url, {"action": "answers", "conflict-2": "file"})
    preview = text_of(officer_client.get(run_url))

    assert "full inspection on 03/06/2025 changed from Good to Inadequate" in preview

    officer_client.post(run_url)

    assert sandpiper.inspections.get(inspection_date=date(2025, 6, 3)).judgement == 4
    oakhurst.refresh_from_db()
    assert oakhurst.current_judgement == 4


def test_keeping_our_judgement_leaves_it(officer_client, oakhurst):
    sandpiper = SettingFactory(provider=oakhurst, urn="SC512764", name="Sandpiper Lodge", local_authority="Kent")
    InspectionFactory(setting=sandpiper, inspection_date=date(2025, 6, 3), judgement=2)
    run_url = upload(officer_client, "ofsted", CASE_02.read_bytes()).url
    officer_client.post(run_url, {"action": "answers", "conflict-2": "ours"})

    done = text_of(officer_client.post(run_url, follow=True))

    assert "Kept our Good; the file said Inadequate" in done
    assert sandpiper.inspections.get(inspection_date=date(2025, 6, 3)).judgement == 2


def test_importing_is_refused_while_a_question_is_unanswered(officer_client, oakhurst):
    sandpiper = SettingFactory(provider=oakhurst, urn="SC512764", name="Sandpiper Lodge")
    InspectionFactory(setting=sandpiper, inspection_date=date(2025, 6, 3), judgement=2)
    run_url = upload(officer_client, "ofsted", CASE_02.read_bytes()).url

    refused = officer_client.post(run_url)

    assert "Answer the questions about this file before you import it" in text_of(refused)
    assert ImportRun.objects.get().applied_at is None
    assert not Setting.objects.filter(urn="SC633048").exists()


def test_the_command_prints_near_matches_and_conflicts_and_keeps_ours(tmp_path, oakhurst):
    sandpiper = SettingFactory(provider=oakhurst, urn="SC512764", name="Sandpiper Lodge")
    InspectionFactory(setting=sandpiper, inspection_date=date(2025, 6, 3), judgement=2)
    content = CASE_02.read_text().replace(
        "SC633048,Children's home,Wren Cottage,Kent,Private,2,Oakhurst Children's",
        "SC633048,Children's home,Wren Cottage,Kent,Private,2,The Oakhurst Childrens",
    )

    output = run_import(tmp_path, content)

    assert (
        "line 2: the file says Inadequate for the full inspection of SC512764 on 03/06/2025; we hold Good: ours kept"
        in output
    )
    assert "lines 3: 'The Oakhurst Childrens Homes' nearly matches Oakhurst Children's Homes: skipped" in output
    assert sandpiper.inspections.get().judgement == 2
    assert not Setting.objects.filter(urn="SC633048").exists()
