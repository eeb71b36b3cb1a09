"""The import pages: a commissioning officer uploads a CSV, checks the preview, then imports it once."""

import html
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from providers.models import ImportRun, Placement, Setting, YoungPerson
from qa_portal.roles import Role
from tests.factories import ProviderFactory, SettingFactory, UserFactory, YoungPersonFactory
from tests.providers.import_ofsted import ofsted_csv, ofsted_row
from tests.providers.test_import_placements import placement_row, placements_csv

pytestmark = pytest.mark.django_db


def upload(client, kind, content, name="data.csv"):
    file = SimpleUploadedFile(name, content if isinstance(content, bytes) else content.encode(), "text/csv")
    return client.post(reverse("providers:import_upload", args=[kind]), {"file": file})


def text_of(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def page_title(response):
    return " ".join(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split())


def field_error(response, message):
    return f'<span class="govuk-visually-hidden">Error:</span> {html.escape(message)}' in response.content.decode()


@pytest.fixture
def provider():
    return ProviderFactory(name="Harbour Lights Fostering")


@pytest.fixture
def ofsted_file(provider):
    """Two good rows, a bad date on line 3 and a row for an organisation we do not hold."""
    return ofsted_csv(
        [
            ofsted_row("SC100001", Name="Oak House"),
            ofsted_row("SC100002", **{"Inspection date": "31/02/2024"}),
            ofsted_row("SC100003", Name="Ash House"),
            ofsted_row("SC100004", **{"Organisation which owns the provider": "Elsewhere Ltd"}),
        ]
    )


@pytest.fixture
def officer_client(client, commissioning_officer):
    client.force_login(commissioning_officer)
    return client


@pytest.mark.parametrize("kind", ["ofsted", "placements"])
def test_a_commissioning_officer_sees_an_upload_form_that_explains_the_columns(officer_client, kind):
    response = officer_client.get(reverse("providers:import_upload", args=[kind]))

    assert response.status_code == 200
    assert 'class="govuk-file-upload' in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()
    page = text_of(response)
    assert "URN" in page
    if kind == "placements":
        assert "Case record ID" in page and "Setting URN" in page and "High cost" in page
        assert 'href="/static/examples/placements-example.csv"' in response.content.decode()


def test_uploading_a_file_shows_a_preview_and_saves_nothing(officer_client, commissioning_officer, ofsted_file):
    response = upload(officer_client, "ofsted", ofsted_file, name="ofsted-march.csv")

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("providers:import_run", args=[run.pk])
    assert (run.kind, run.filename, run.uploaded_by, run.applied_at) == (
        "ofsted",
        "ofsted-march.csv",
        commissioning_officer,
        None,
    )
    assert run.content == ofsted_file
    assert (run.preview["created"], run.preview["rejected"], run.preview["skipped"]) == (2, 1, 1)
    assert not Setting.objects.exists()

    preview = officer_client.get(response.url)

    page = text_of(preview)
    assert "Check the file before you import it" in page
    assert "New 2" in page and "Rejected 1" in page and "Skipped 1" in page
    assert "3 Inspection date '31/02/2024' is not a real date" in page
    assert "Import 2 rows" in page
    assert 'class="govuk-table" id="rejections"' in preview.content.decode()


def test_applying_the_preview_imports_the_file_once(officer_client, commissioning_officer, ofsted_file):
    run_url = upload(officer_client, "ofsted", ofsted_file).url

    applied = officer_client.post(run_url, follow=True)

    assert applied.redirect_chain == [(run_url, 302)]
    assert "govuk-notification-banner--success" in applied.content.decode()
    assert "File imported: 2 created, 0 updated, 0 unchanged, 1 rejected" in text_of(applied)
    assert "Import complete" in text_of(applied)
    assert "Import 2 rows" not in text_of(applied)
    assert set(Setting.objects.values_list("name", flat=True)) == {"Oak House", "Ash House"}
    run = ImportRun.objects.get()
    assert run.applied_by == commissioning_officer
    assert run.result["created"] == 2
    applied_at = run.applied_at

    again = officer_client.post(run_url, follow=True)

    assert "This file has already been imported, so it was not imported again" in text_of(again)
    assert "govuk-notification-banner--success" not in again.content.decode()
    run.refresh_from_db()
    assert run.applied_at == applied_at
    assert Setting.objects.count() == 2


def test_placements_are_uploaded_previewed_and_imported(officer_client, provider):
    content = placements_csv(
        [
            placement_row("1234567"),
            placement_row("7654321", Initials="KL", Provider="Unknown Care"),
        ]
    )
    run_url = upload(officer_client, "placements", content).url

    preview = text_of(officer_client.get(run_url))

    assert "Provider 'Unknown Care' is not in the provider register" in preview
    assert "Import 1 row" in preview
    assert "Skipped" not in preview
    assert not Placement.objects.exists()

    officer_client.post(run_url)

    assert Placement.objects.get().young_person.case_record_id == "1234567"


def test_the_preview_says_which_ids_excel_stripped_of_their_leading_zeros(officer_client, provider):
    held = YoungPersonFactory(case_record_id="0012345", initials="SB", date_of_birth=date(2010, 2, 14))
    content = placements_csv(
        [
            placement_row("1234567"),
            placement_row("7654321", Initials="KL"),
            placement_row("12345", Initials="SB"),
        ]
    )
    run_url = upload(officer_client, "placements", content).url

    preview = officer_client.get(run_url)

    assert 'id="notes"' in preview.content.decode()
    assert (
        "Check how these rows were read Line Note "
        "4 ID 12345 taken as 0012345, SB's record (leading zeros dropped, as Excel does)"
    ) in text_of(preview)
    assert "Import 3 rows" in text_of(preview)

    officer_client.post(run_url)

    assert YoungPerson.objects.count() == 3
    assert Placement.objects.get(young_person__initials="SB").young_person == held


def test_a_file_with_nothing_to_change_offers_no_import_button(officer_client, provider):
    SettingFactory(provider=provider, urn="SC100001")
    content = ofsted_csv(
        [
            ofsted_row("SC100001", **{"Inspection date": "99/99/2024"}),
            ofsted_row("SC100099", **{"Organisation which owns the provider": "Elsewhere Ltd"}),
        ]
    )

    response = officer_client.get(upload(officer_client, "ofsted", content).url)

    assert "There is nothing to import" in text_of(response)
    assert "govuk-button" not in response.content.decode().split("<main", 1)[1].split("</main>")[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.csv", b"", "The selected file is empty"),
        ("data.xlsx", b"URN\r\nSC100001\r\n", "The selected file must be a CSV"),
        ("data.csv", b"PK\x03\x04\x14\x00\x06\x00", "The file is not a CSV file"),
        ("data.csv", b"\x81\x8d\x8f\x90\x9d", "The file's text cannot be read. Save it as 'CSV UTF-8' and try again"),
        (
            "data.csv",
            b"Name,Town\r\nOak House,Dover\r\n",
            "The file has no URN column. Columns found: Name, Town",
        ),
        ("data.csv", b"URN\r\n" + b"SC100001\r\n" * 1_100_000, "The file must be smaller than 10 MB"),
    ],
)
def test_a_file_that_cannot_be_imported_is_refused_beside_the_field(officer_client, name, content, message):
    response = upload(officer_client, "ofsted", content, name=name)

    assert response.status_code == 200
    assert page_title(response).startswith("Error: Import Ofsted provider-level data")
    assert field_error(response, message)
    assert "govuk-error-summary" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_uploading_without_choosing_a_file_asks_for_one(officer_client):
    response = officer_client.post(reverse("providers:import_upload", args=["placements"]), {})

    assert field_error(response, "Select a CSV file")
    assert page_title(response).startswith("Error: ")


def test_an_unknown_kind_of_import_is_not_found(officer_client):
    assert officer_client.get(reverse("providers:import_upload", args=["contacts"])).status_code == 404


def test_the_imports_page_lists_past_imports_with_their_counts(officer_client, commissioning_officer, ofsted_file):
    applied_url = upload(officer_client, "ofsted", ofsted_file, name="applied.csv").url
    officer_client.post(applied_url)
    upload(officer_client, "ofsted", ofsted_file, name="preview.csv")

    response = officer_client.get(reverse("providers:imports"))

    page = text_of(response)
    assert response.status_code == 200
    assert re.search(r"preview\.csv Ofsted provider-level data .* by Sam Okafor Preview only 0 0 2 1 1", page)
    assert re.search(r"applied\.csv Ofsted provider-level data .* by Sam Okafor Imported .* 2 0 0 1 1", page)
    assert reverse("providers:import_upload", args=["ofsted"]) in response.content.decode()
    assert reverse("providers:import_upload", args=["placements"]) in response.content.decode()


def test_an_import_run_is_loaded_through_the_access_rules(officer_client, ofsted_file):
    run_url = upload(officer_client, "ofsted", ofsted_file).url
    colleague = UserFactory(role=Role.COMMISSIONING_OFFICER)
    missing = reverse("providers:import_run", args=[ImportRun.objects.get().pk + 1])

    assert officer_client.get(missing).status_code == 404
    assert officer_client.post(missing).status_code == 404
    officer_client.force_login(colleague)  # the commissioning team shares its imports
    page = text_of(officer_client.get(run_url))
    assert "Check the file before you import it" in page
    assert "data.csv" in page
    assert "Import 2 rows" in page


REFUSED_ROLES = [Role.SENIOR_LEADER, Role.QA_LEAD, Role.PROVIDER_USER, Role.MANAGER, Role.SOCIAL_WORKER]


@pytest.mark.parametrize("user_with_role", REFUSED_ROLES, indirect=True)
def test_only_commissioning_officers_may_use_the_import_pages(
    client, user_with_role, commissioning_officer, ofsted_file
):
    client.force_login(commissioning_officer)
    run_url = upload(client, "ofsted", ofsted_file).url
    client.force_login(user_with_role)

    assert client.get(reverse("providers:imports")).status_code == 403
    assert client.get(reverse("providers:import_upload", args=["ofsted"])).status_code == 403
    assert client.get(reverse("providers:import_upload", args=["placements"])).status_code == 403
    assert upload(client, "placements", placements_csv([placement_row()])).status_code == 403
    assert client.get(run_url).status_code == 403
    assert client.post(run_url).status_code == 403
    assert ImportRun.objects.get().applied_at is None
    assert ImportRun.objects.count() == 1
