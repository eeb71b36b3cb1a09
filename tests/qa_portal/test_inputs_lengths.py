"""Every text has a maximum length for its kind (qa_portal.inputs.limits), said beside the box in a
form, by name in an autosave, and never reached by a database error."""

import json

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from providers.models import Concern
from qa_portal.inputs.limits import LimitedTextField, length_message
from tests.factories import ConcernFactory
from tests.pages import text_of
from tests.providers.form_errors import errors_beside
from visits.models import Answer, TemplateQuestion

pytestmark = pytest.mark.django_db

CONCERN = {"source": "young_person", "received_on": "02/10/2025", "severity": "high"}


def test_a_300_character_email_address_is_refused_beside_the_box_and_counts_no_attempt(client):
    email = "a" * 288 + "@example.org"
    response = client.post(reverse("login"), {"username": email, "password": "whatever-it-is"})
    assert response.status_code == 200
    assert errors_beside(response.content.decode(), "username") == ["Enter an email address of 254 characters or fewer"]
    assert f'value="{email}"' in response.content.decode()  # kept, to be corrected
    assert not AccessAttempt.objects.exists()


def test_a_password_reset_for_a_300_character_address_is_refused_the_same_way(client):
    response = client.post(reverse("password_reset"), {"email": "a" * 288 + "@example.org"})
    assert errors_beside(response.content.decode(), "email") == ["Enter an email address of 254 characters or fewer"]


def _answer(visit):
    return TemplateQuestion.objects.filter(section__template=visit.template, section__number=3, kind="long_text")[0]


def test_an_autosave_of_a_million_characters_is_refused_by_name_and_not_saved(client, senior_leader, visit):
    client.force_login(senior_leader)
    question = _answer(visit)
    response = client.post(
        reverse("visits:autosave", args=[visit.pk, 3]),
        json.dumps({"fields": {f"q{question.pk}": {"base": "", "value": "a" * 1_000_000}}}),
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    # Named by its question: "The condition and maintenance of the home must be 20,000 characters or fewer…".
    assert response.json()["errors"] == {
        f"q{question.pk}": f"{question.text} must be 20,000 characters or fewer; it has 1,000,000"
    }
    assert not Answer.objects.filter(visit=visit).exists()


def test_an_answer_over_its_limit_is_refused_beside_it_and_kept(client, senior_leader, visit):
    client.force_login(senior_leader)
    question = _answer(visit)
    answer = "Warm and well run. " * 1_100
    response = client.post(
        reverse("visits:section", args=[visit.pk, 3]), {f"q{question.pk}": answer, f"q{question.pk}__base": ""}
    )
    assert response.status_code == 200
    assert "must be 20,000 characters or fewer; it has 20,900" in errors_beside(response.text, f"q{question.pk}")[0]
    assert answer.strip() in response.text
    assert not Answer.objects.filter(visit=visit).exists()


def test_a_summary_over_its_limit_is_refused_beside_it_with_no_maxlength_to_cut_a_paste_short(
    client, social_worker, provider
):
    client.force_login(social_worker)
    url = reverse("providers:concern_create", args=[provider.pk])
    assert "maxlength" not in client.get(url).text.split('name="summary"')[1].split(">")[0]
    response = client.post(url, {**CONCERN, "summary": "x" * 5_001})
    assert errors_beside(response.text, "summary") == ["Summary must be 5,000 characters or fewer; it has 5,001"]
    assert not Concern.objects.exists()


def test_a_record_over_its_limit_is_refused_by_full_clean_as_every_service_and_import_calls_it(provider):
    concern = ConcernFactory.build(provider=provider, summary="x" * 5_001)
    with pytest.raises(ValidationError) as refused:
        concern.full_clean(exclude=["raised_by", "received_on"])
    assert refused.value.message_dict["summary"] == ["Summary must be 5,000 characters or fewer; it has 5,001"]


def test_a_form_bigger_than_any_form_can_be_is_explained_on_a_page(client, social_worker, provider, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    client.force_login(social_worker)
    response = client.post(
        reverse("providers:concern_create", args=[provider.pk]),
        {**CONCERN, "summary": "x" * 200_000},
        headers={"Referer": "http://testserver" + reverse("providers:concern_create", args=[provider.pk])},
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "What you sent was too big to save" in page and "Go back to the page" in page


# Text the portal writes itself, bounded where it is made: an email's body, an error report, a file.
WRITTEN_BY_THE_PORTAL = {
    "providers.ImportRun.content",
    "providers.ImportRun.error",
    "qa_portal.Notification.body",
    "qa_portal.Notification.html",
    "qa_portal.Notification.calendar",
    "qa_portal.Notification.last_error",
    "qa_portal.JobRun.error",
    "qa_portal.Document.error",
    "reporting.CommitteePackVersion.error",
    # Before and after values of a role or permission change, written by qa_portal.account_changes.
    "qa_portal.AccountChange.before",
    "qa_portal.AccountChange.after",
}


def test_every_text_field_people_type_in_has_a_limit():
    unlimited = {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in ("qa_portal", "providers", "visits", "reviews", "reporting")
        and not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not isinstance(field, LimitedTextField)
    }
    assert unlimited == WRITTEN_BY_THE_PORTAL


def test_a_long_question_is_named_by_its_first_words():
    question = "How do the young people describe the way staff help them keep in touch with their families?"
    assert length_message(question, 20_000, 20_001) == (
        "Your answer to “How do the young people describe the way…” must be 20,000 characters or fewer; it has 20,001"
    )
