"""An administrator throws a draft of the visit template away: a page says what would be lost, the
button discards it with its sections and questions, the published version is untouched, and the next
draft starts afresh from it. The published version cannot be discarded; other roles are refused."""

import pytest
from django.urls import reverse

from tests.pages import heading, text_of
from tests.visits.template_versions import _contents
from visits.models import TemplateQuestion, TemplateSection, TemplateStatus, VisitTemplate
from visits.template_editing import template_section_add
from visits.template_versions import template_current, template_publish, template_start_draft

pytestmark = pytest.mark.django_db


def discard_url(template):
    return reverse("visits:template_discard", args=[template.pk])


def test_the_draft_page_offers_to_discard_it_and_the_published_one_does_not(client, administrator, v1, draft):
    client.force_login(administrator)
    page = client.get(reverse("visits:template_version", args=[draft.pk])).content.decode()
    assert f'href="{discard_url(draft)}">Discard this draft</a>' in page
    page = client.get(reverse("visits:template_version", args=[v1.pk])).content.decode()
    assert "Discard this draft" not in page


def test_the_check_page_says_what_would_be_lost(client, administrator, v1, draft):
    template_section_add(template=draft, title="Education at the home", guidance="", after=None, by=administrator)
    client.force_login(administrator)
    page = client.get(discard_url(draft))
    assert heading(page) == "Discard version 2?"
    text = text_of(page)
    assert "Version 1 stays published" in text
    assert "Section 1, “Education at the home”, is new" in text
    assert VisitTemplate.objects.filter(pk=draft.pk).exists()  # only asked


def test_discarding_throws_the_draft_away_and_leaves_the_published_version(client, administrator, v1, draft):
    template_section_add(template=draft, title="Education at the home", guidance="", after=None, by=administrator)
    published_before = _contents(v1)
    client.force_login(administrator)

    response = client.post(discard_url(draft), follow=True)

    assert response.redirect_chain[-1][0] == reverse("visits:template_list")
    assert "Version 2, the draft, discarded" in text_of(response)
    assert "Make a draft to change it" in text_of(response)
    assert not VisitTemplate.objects.filter(status=TemplateStatus.DRAFT).exists()
    assert not TemplateSection.objects.filter(template_id=draft.pk).exists()
    assert not TemplateQuestion.objects.filter(section__template_id=draft.pk).exists()
    assert template_current() == v1
    assert _contents(v1) == published_before
    # The next draft is a fresh copy of the published version, without the discarded section.
    again = template_start_draft(by=administrator)
    assert again.version == 2
    assert _contents(again) == published_before


def test_pressing_the_button_again_says_it_is_already_gone(client, administrator, draft):
    client.force_login(administrator)
    client.post(discard_url(draft))
    response = client.post(discard_url(draft), follow=True)
    assert response.status_code == 200
    assert "That draft was already discarded" in text_of(response)


def test_a_version_published_meanwhile_is_not_discarded(client, administrator, v1, draft):
    client.force_login(administrator)
    client.get(discard_url(draft))  # the page is open while another administrator publishes
    template_publish(template=draft, by=administrator, notes="Published meanwhile")
    response = client.post(discard_url(draft))
    assert response.status_code == 403
    assert VisitTemplate.objects.get(pk=draft.pk).status == TemplateStatus.PUBLISHED


def test_the_published_version_cannot_be_discarded(client, administrator, v1):
    client.force_login(administrator)
    assert client.get(discard_url(v1)).status_code == 403
    assert client.post(discard_url(v1)).status_code == 403
    assert template_current() == v1


@pytest.mark.parametrize(
    "user_with_role",
    ["qa_lead", "senior_leader", "commissioning_officer", "manager", "social_worker", "provider_user"],
    indirect=True,
)
def test_every_other_role_is_refused(client, user_with_role, draft):
    client.force_login(user_with_role)
    assert client.get(discard_url(draft)).status_code == 403
    assert client.post(discard_url(draft)).status_code == 403
    assert VisitTemplate.objects.filter(pk=draft.pk).exists()
