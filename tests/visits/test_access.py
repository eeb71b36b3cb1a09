"""Who may see a visit, its report and its responses; user text never becomes markup."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from qa_portal.roles import Role
from tests.factories import RecommendationFactory, UserFactory, VisitFactory
from tests.pages import heading, text_of
from tests.visits.conftest import complete
from visits.models import Answer, TemplateQuestion, VisitStatus

pytestmark = pytest.mark.django_db

HOSTILE = '<img src="http://example.com/x"> <script>alert("x")</script>'


@pytest.fixture
def shared_visit(visit, placed, senior_leader):
    complete(visit, placed)
    RecommendationFactory(visit=visit, owner=senior_leader)
    visit.status = VisitStatus.SHARED
    visit.save()
    return visit


def urls(visit):
    return [
        reverse("visits:visit_detail", args=[visit.pk]),
        reverse("visits:report_pdf", args=[visit.pk]),
        reverse("reviews:visit_respond", args=[visit.pk]),
        reverse("visits:section", args=[visit.pk, 3]),
    ]


def test_a_provider_user_of_another_provider_gets_not_found_everywhere(client, shared_visit, other_provider_user):
    client.force_login(other_provider_user)
    for url in urls(shared_visit):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("reviews:visit_respond", args=[shared_visit.pk]), {"comment": "Sneaky"})
    assert response.status_code == 404
    shared_visit.refresh_from_db()
    assert shared_visit.provider_comment == ""


def test_a_provider_user_sees_their_own_shared_report_but_not_a_draft(client, visit, provider_user, placed):
    client.force_login(provider_user)
    assert client.get(reverse("visits:visit_detail", args=[visit.pk])).status_code == 404
    complete(visit, placed)
    visit.status = VisitStatus.SHARED
    visit.save()
    detail, pdf, respond, section = (client.get(url) for url in urls(visit))
    assert heading(detail) == "Harbour Lights Fostering"
    assert "Good enough for my own child? Yes" in text_of(detail)
    assert "Harbour Lights Fostering" in pdf_text(pdf)
    assert heading(respond) == "Respond to the visit report"
    assert heading(section) == "3. The home and the area"
    answer = visit.answers.filter(question__section__number=3, question__kind="long_text").first()
    assert answer.text in text_of(section)


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(response.content)).pages)


def test_a_provider_user_sees_only_their_organisations_visits_in_the_list(
    client, shared_visit, provider_user, other_provider
):
    VisitFactory(provider=other_provider, status=VisitStatus.SHARED)
    client.force_login(provider_user)
    response = client.get(reverse("visits:visit_list"))
    assert [v.pk for v in response.context["page"]] == [shared_visit.pk]


def test_council_staff_cannot_respond_on_the_providers_behalf(client, shared_visit, qa_lead):
    client.force_login(qa_lead)
    assert client.get(reverse("reviews:visit_respond", args=[shared_visit.pk])).status_code == 403


def test_an_administrator_without_visit_rights_sees_no_visits(client, shared_visit, administrator):
    client.force_login(administrator)
    assert client.get(reverse("visits:visit_detail", args=[shared_visit.pk])).status_code == 404
    assert client.get(reverse("visits:visit_list")).status_code == 403


@pytest.mark.parametrize(
    "role", [Role.SENIOR_LEADER, Role.QA_LEAD, Role.MANAGER, Role.SOCIAL_WORKER, Role.COMMISSIONING_OFFICER]
)
def test_council_staff_can_read_visits(client, shared_visit, role):
    client.force_login(UserFactory(role=role))
    page = client.get(reverse("visits:visit_detail", args=[shared_visit.pk]))
    assert heading(page) == "Harbour Lights Fostering"
    assert "Shared with provider" in text_of(page)
    assert "Lead visitor Chris Palmer" in text_of(page)


def test_only_visit_writers_can_plan_a_visit(client, manager):
    client.force_login(manager)
    assert client.get(reverse("visits:visit_plan")).status_code == 403


def test_hostile_text_in_an_answer_shows_as_text_on_the_page(client, senior_leader, visit):
    question = TemplateQuestion.objects.filter(section__template=visit.template, section__number=3).first()
    Answer.objects.create(visit=visit, question=question, text=HOSTILE)
    client.force_login(senior_leader)
    for url in (reverse("visits:section", args=[visit.pk, 3]), reverse("visits:visit_detail", args=[visit.pk])):
        html = client.get(url).text
        assert "<script>alert" not in html
        assert '<img src="http://example.com/x">' not in html
    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        in client.get(reverse("visits:section", args=[visit.pk, 3])).text
    )


def test_the_history_of_a_visit_and_its_answers_is_kept(client, senior_leader, qa_lead, visit):
    question = TemplateQuestion.objects.filter(section__template=visit.template, section__number=3).first()
    client.force_login(senior_leader)
    client.post(
        reverse("visits:section", args=[visit.pk, 3]), {f"q{question.pk}": "First words", f"q{question.pk}__base": ""}
    )
    client.post(
        reverse("visits:section", args=[visit.pk, 3]),
        {f"q{question.pk}": "Better words", f"q{question.pk}__base": "First words"},
    )
    client.force_login(qa_lead)
    response = client.get(reverse("visits:visit_history", args=[visit.pk]))
    changes = [c for c in response.context["page"] if c.what.startswith("Answer to")]
    assert changes[0].fields[0].old == "First words"
    assert changes[0].fields[0].new == "Better words"
    assert changes[0].who == senior_leader.full_name
