"""Administrators edit a draft of the visit template in the admin and publish it; the published and retired
versions stay read-only there, and other staff are refused."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.pages import heading, text_of
from tests.visits.template_versions import _contents, _visit_on
from visits.models import QuestionKind, TemplateStatus, VisitTemplate
from visits.template_versions import template_current

pytestmark = pytest.mark.django_db


def _form_data(response):
    """The POST data a browser would send back for an admin change form, unchanged."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            key, value = form.add_prefix(name), form[name].value()
            if isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
                continue
            value = field.prepare_value(value)
            if value is not None:
                data[key] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_administrator_can_use_the_template_admin_pages(client, administrator, v1, draft):
    client.force_login(administrator)
    section = draft.sections.get(number=3)

    for url, title, shown in [
        (reverse("admin:visits_visittemplate_changelist"), "Select visit template to change", "2 visit templates"),
        (reverse("admin:visits_visittemplate_change", args=[v1.pk]), "View visit template", "version 1 (published)"),
        (reverse("admin:visits_visittemplate_change", args=[draft.pk]), "Change visit template", "version 2 (draft)"),
        (reverse("admin:visits_templatesection_changelist"), "Select template section to change", section.title),
        (reverse("admin:visits_templatesection_change", args=[section.pk]), "Change template section", section.title),
        (reverse("admin:visits_templatesection_add"), "Add template section", "Title"),
    ]:
        page = client.get(url)
        assert heading(page) == title, url
        assert shown in text_of(page), url


def test_the_template_list_shows_how_many_visits_use_each_version(client, administrator, v1):
    _visit_on(v1)
    _visit_on(v1)
    client.force_login(administrator)

    response = client.get(reverse("admin:visits_visittemplate_changelist"))

    assert response.context["cl"].result_list.get(pk=v1.pk).number_of_visits == 2
    assert '<td class="field-visit_count">2</td>' in response.text


def test_a_qa_lead_is_refused_the_template_admin(client, qa_lead, v1):
    client.force_login(qa_lead)

    for url in [
        reverse("admin:visits_visittemplate_changelist"),
        reverse("admin:visits_visittemplate_change", args=[v1.pk]),
        reverse("admin:visits_templatesection_change", args=[v1.sections.first().pk]),
    ]:
        assert client.get(url, follow=True).status_code == 403, url
    response = client.post(reverse("admin:visits_visittemplate_start_draft"), follow=True)
    assert response.status_code == 403
    assert not VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).exists()


def test_a_section_of_the_published_version_is_read_only_in_the_admin(client, administrator, v1):
    client.force_login(administrator)
    section = v1.sections.get(number=3)
    url = reverse("admin:visits_templatesection_change", args=[section.pk])

    response = client.get(url)
    assert response.status_code == 200
    assert 'name="title"' not in response.text
    assert 'name="_save"' not in response.text
    assert "The condition and maintenance of the home" in response.text

    response = client.post(url, {"number": 3, "title": "Changed", "special": "", "guidance": ""})
    assert response.status_code == 403
    section.refresh_from_db()
    assert section.title == "The home and the area"
    assert client.post(reverse("admin:visits_templatesection_delete", args=[section.pk])).status_code == 403
    assert v1.sections.filter(pk=section.pk).exists()


def test_the_published_version_is_read_only_and_no_version_is_ever_deleted(client, administrator, v1, draft):
    client.force_login(administrator)

    response = client.post(reverse("admin:visits_visittemplate_change", args=[v1.pk]), {"notes": "Changed"})
    assert response.status_code == 403
    v1.refresh_from_db()
    assert v1.notes != "Changed"
    for template in [v1, draft]:
        assert client.post(reverse("admin:visits_visittemplate_delete", args=[template.pk])).status_code == 403
    assert client.get(reverse("admin:visits_visittemplate_add")).status_code == 403
    assert VisitTemplate.objects.count() == 2


def test_an_administrator_edits_a_section_of_the_draft_and_its_questions(client, administrator, v1, draft):
    client.force_login(administrator)
    section = draft.sections.get(number=3)
    url = reverse("admin:visits_templatesection_change", args=[section.pk])
    data = _form_data(client.get(url))
    data["title"] = "Where the young person lives"
    data["questions-TOTAL_FORMS"] = "6"
    data.update(
        {
            "questions-5-number": "6",
            "questions-5-text": "How often do staff change?",
            "questions-5-kind": QuestionKind.CHOICE,
            "questions-5-choices": "Rarely,Sometimes,Often",
            "questions-5-required": "on",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert response["Location"] == reverse("admin:visits_visittemplate_change", args=[draft.pk])
    section.refresh_from_db()
    assert section.title == "Where the young person lives"
    assert section.questions.get(number=6).choices == ["Rarely", "Sometimes", "Often"]
    assert v1.sections.get(number=3).title == "The home and the area"


def test_a_choice_question_with_one_choice_cannot_be_saved_in_the_admin(client, administrator, draft):
    client.force_login(administrator)
    section = draft.sections.get(number=3)
    url = reverse("admin:visits_templatesection_change", args=[section.pk])
    data = _form_data(client.get(url))
    data["questions-0-kind"] = QuestionKind.CHOICE
    data["questions-0-choices"] = "Only one"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Give at least two choices" in response.text
    assert section.questions.get(number=1).kind == QuestionKind.LONG_TEXT


def test_an_administrator_deletes_a_section_of_the_draft(client, administrator, draft):
    client.force_login(administrator)
    section = draft.sections.get(number=7)

    response = client.post(reverse("admin:visits_templatesection_delete", args=[section.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not draft.sections.filter(number=7).exists()


def test_an_administrator_starts_a_draft_from_the_published_version_page(client, administrator, v1):
    client.force_login(administrator)
    page = client.get(reverse("admin:visits_visittemplate_change", args=[v1.pk]))
    assert "Start a new draft from the published version" in page.text

    response = client.post(reverse("admin:visits_visittemplate_start_draft"), follow=True)

    draft = VisitTemplate.objects.get(status=TemplateStatus.DRAFT)
    assert response.redirect_chain[-1][0] == reverse("admin:visits_visittemplate_change", args=[draft.pk])
    assert "Started version 2, a copy of the published version." in _messages(response)
    assert _contents(draft) == _contents(v1)


def test_starting_a_draft_from_the_admin_list_twice_opens_the_same_draft(client, administrator, v1):
    client.force_login(administrator)
    url = reverse("admin:visits_visittemplate_changelist")
    action = {"action": "start_draft", "_selected_action": [v1.pk]}

    client.post(url, action)
    response = client.post(url, action, follow=True)

    assert VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).count() == 1
    assert "Version 2 is already being drafted: edit it here." in _messages(response)


def test_an_administrator_saves_and_publishes_the_draft(client, administrator, v1, draft):
    client.force_login(administrator)
    url = reverse("admin:visits_visittemplate_change", args=[draft.pk])
    page = client.get(url)
    assert "Ready to publish." in page.text
    # Enter in a text box presses the first submit button: it must save, not publish.
    assert page.text.index('name="_save"') < page.text.index('name="_publish"')
    data = _form_data(page)
    data["notes"] = "Asks about the garden."
    data["_publish"] = "Save and publish this draft"

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert (draft.status, draft.notes, draft.published_by) == (
        TemplateStatus.PUBLISHED,
        "Asks about the garden.",
        administrator,
    )
    assert v1.status == TemplateStatus.RETIRED
    assert any(message.startswith("Published version 2.") for message in _messages(response))


def test_publishing_an_invalid_draft_in_the_admin_shows_why_and_changes_nothing(client, administrator, v1, draft):
    draft.sections.get(special="recommendations").delete()
    client.force_login(administrator)
    url = reverse("admin:visits_visittemplate_change", args=[draft.pk])
    page = client.get(url)
    assert "Fix these before publishing:" in page.text
    data = _form_data(page)
    data["_publish"] = "Save and publish this draft"

    response = client.post(url, data, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url
    shown = _messages(response)
    assert "Version 2 was not published." in shown
    assert (
        'The "Recommendations" section is missing: the visit pages rely on it. '
        'Give one section the special role "Recommendations".'
    ) in shown
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert (v1.status, draft.status) == (TemplateStatus.PUBLISHED, TemplateStatus.DRAFT)


def test_publishing_from_the_admin_list(client, administrator, v1, draft):
    client.force_login(administrator)
    url = reverse("admin:visits_visittemplate_changelist")

    refused = client.post(url, {"action": "publish_draft", "_selected_action": [v1.pk]}, follow=True)
    assert "Select the draft version to publish." in _messages(refused)

    client.post(url, {"action": "publish_draft", "_selected_action": [draft.pk]})
    assert template_current() == draft
