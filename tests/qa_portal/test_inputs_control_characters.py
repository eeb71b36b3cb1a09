"""NUL and the other control characters, wherever they come in: a query string, a form, a JSON body
or an uploaded file. Each gets a clear message and never a 500 (qa_portal.inputs)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from providers.models import Concern, ImportRun
from qa_portal.models import HeldSubmission
from tests.pages import text_of
from tests.providers.form_errors import errors_beside
from tests.providers.test_import_placements import placement_row, placements_csv
from visits.models import Answer, TemplateQuestion

pytestmark = pytest.mark.django_db

CONCERN = {"source": "young_person", "received_on": "02/10/2025", "severity": "high"}


# Query strings: the search box and every filter.


def test_a_nul_in_a_search_box_is_taken_out_and_the_list_shown(client, qa_lead, provider, other_provider):
    client.force_login(qa_lead)
    response = client.get(reverse("providers:provider_list"), {"q": "Harbour\x00"})
    assert response.status_code == 200
    page = text_of(response)
    assert "A hidden character that is not text (U+0000) was taken out of the address" in page
    assert "Harbour Lights Fostering" in page and "Northgate Homes" not in page
    assert 'value="Harbour"' in response.content.decode()


def test_a_nul_in_any_part_of_an_address_never_breaks_the_page(client, qa_lead):
    client.force_login(qa_lead)
    # A held form's name (the home page), a page number, a sort order, a document's view.
    for url in ("/?held=%00", "/providers/?page=%00&sort=%00", "/tracker/?q=%01x", "/documents/?compact=%00"):
        assert client.get(url).status_code == 200, url


# Forms: the text is kept without the character, and the box says so.


def test_a_nul_in_a_form_is_taken_out_and_the_box_says_so(client, social_worker, provider):
    client.force_login(social_worker)
    response = client.post(
        reverse("providers:concern_create", args=[provider.pk]), {**CONCERN, "summary": "Unsafe at\x00 night"}
    )
    assert response.status_code == 200
    assert errors_beside(response.content.decode(), "summary") == [
        "Summary had a hidden character that is not text (U+0000), which has been taken out. Check it, then save again"
    ]
    assert "Unsafe at night</textarea>" in response.content.decode()
    assert not Concern.objects.exists()


def test_a_form_feed_pasted_from_a_pdf_is_not_saved_without_a_word(client, social_worker, provider):
    client.force_login(social_worker)
    response = client.post(
        reverse("providers:concern_create", args=[provider.pk]), {**CONCERN, "summary": "Page one\x0cpage two"}
    )
    assert "(U+000C)" in errors_beside(response.content.decode(), "summary")[0]
    # Saved again as it is now shown, it is saved.
    response = client.post(
        reverse("providers:concern_create", args=[provider.pk]), {**CONCERN, "summary": "Page onepage two"}
    )
    assert response.status_code == 302
    assert Concern.objects.get().summary == "Page onepage two"


def test_a_form_posted_with_a_nul_after_the_session_ended_is_held_without_it(client, social_worker, provider):
    client.force_login(social_worker)
    client.post(reverse("logout"))  # which leaves the cookie naming who last signed in here
    response = client.post(
        reverse("providers:concern_create", args=[provider.pk]), {**CONCERN, "summary": "Unsafe at\x00 night"}
    )
    assert response.status_code == 302
    assert HeldSubmission.objects.get().fields["summary"] == ["Unsafe at night"]


# JSON bodies: the visit autosave.


def _autosave(client, visit, fields, *, raw=None):
    return client.post(
        reverse("visits:autosave", args=[visit.pk, 3]),
        raw if raw is not None else json.dumps({"fields": fields}),
        content_type="application/json",
        headers={"Accept": "application/json"},
    )


@pytest.fixture
def answer_name(visit):
    question = TemplateQuestion.objects.filter(section__template=visit.template, section__number=3, kind="long_text")
    return f"q{question.first().pk}"


@pytest.mark.parametrize(("character", "code_point"), [("\x00", "U+0000"), ("\ud800", "U+D800")])
def test_a_json_body_with_a_character_that_cannot_be_stored_is_refused_with_400(
    client, senior_leader, visit, answer_name, character, code_point
):
    client.force_login(senior_leader)
    response = _autosave(client, visit, {answer_name: {"base": "", "value": f"Warm{character} home"}})
    assert response.status_code == 400
    assert response.json() == {
        "error": f"What was sent has a character that is not text ({code_point}), so nothing was saved. "
        "Remove it and try again.",
        "field": f"fields → {answer_name} → value",
    }
    assert not Answer.objects.filter(visit=visit).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [(b'{"fields": {"q1": "\xff"}}', "not UTF-8 text"), (b'{"fields": ', "not JSON"), (b"[" * 100_000, "not JSON")],
)
def test_a_json_body_that_cannot_be_read_is_refused_with_400(client, senior_leader, visit, body, message):
    client.force_login(senior_leader)
    response = _autosave(client, visit, None, raw=body)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_another_control_character_in_an_autosave_is_refused_beside_its_field(
    client, senior_leader, visit, answer_name
):
    client.force_login(senior_leader)
    response = _autosave(client, visit, {answer_name: {"base": "", "value": "Warm\x0b home"}})
    assert response.status_code == 422
    assert "(U+000B), which has been taken out" in response.json()["errors"][answer_name]
    assert not Answer.objects.filter(visit=visit).exists()


def test_the_session_extend_endpoint_refuses_a_nul_in_json(client, senior_leader):
    client.force_login(senior_leader)
    response = client.post(reverse("session_extend"), '{"a": "\\u0000"}', content_type="application/json")
    assert response.status_code == 400
    assert "U+0000" in response.json()["error"]


# Uploaded files.


def _upload(client, content: bytes):
    file = SimpleUploadedFile("placements.csv", content, "text/csv")
    return client.post(reverse("providers:import_upload", args=["placements"]), {"file": file})


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (placements_csv([placement_row(Initials="J\x00B")]).encode(), "U+0000 on line 2"),
        (placements_csv([placement_row(), placement_row(Initials="J\x1bB")]).encode(), "U+001B on line 3"),
        # UTF-16 without its byte-order mark: every other byte is a zero.
        (placements_csv([placement_row()]).encode("utf-16-le"), "U+0000 on line 1"),
        (bytes(range(256)) * 4, "U+0000 on line 1"),
    ],
)
def test_a_file_that_is_not_text_is_refused_beside_the_field(client, commissioning_officer, content, where):
    client.force_login(commissioning_officer)
    response = _upload(client, content)
    assert response.status_code == 200
    assert errors_beside(response.content.decode(), "file") == [
        f"This file contains characters that are not text ({where}). "
        "Check it is the right file, and save it again as 'CSV UTF-8'"
    ]
    assert not ImportRun.objects.exists()


def test_an_end_of_file_mark_from_an_old_system_is_dropped(client, commissioning_officer):
    client.force_login(commissioning_officer)
    response = _upload(client, placements_csv([placement_row()]).encode() + b"\x1a")
    assert response.status_code == 302
    assert "\x1a" not in ImportRun.objects.get().content


# A one-line box holds one line: a browser never sends a line break from one, a crafted request can.


def test_a_line_break_in_a_one_line_box_is_made_a_space_and_the_box_says_so(client, commissioning_officer, provider):
    client.force_login(commissioning_officer)
    url = reverse("providers:contact_create", args=[provider.pk])
    response = client.post(url, {"name": "Ben\r\nBcc: everyone@example.org", "email": "ben@example.org"})
    assert response.status_code == 200
    assert errors_beside(response.content.decode(), "name") == [
        "Name must be on one line: its line break has been made a space. Check it, then save again"
    ]
    assert 'value="Ben Bcc: everyone@example.org"' in response.content.decode()
    assert not provider.contacts.exists()


def test_a_line_break_in_a_text_area_is_kept(client, social_worker, provider):
    client.force_login(social_worker)
    response = client.post(
        reverse("providers:concern_create", args=[provider.pk]),
        {**CONCERN, "summary": "Unsafe at night.\r\nNo staff on the door."},
    )
    assert response.status_code == 302
    assert provider.concerns.get().summary.splitlines() == ["Unsafe at night.", "No staff on the door."]
