"""Hand-offs along a visit's path are told at once, in the portal and by email with a link back,
naming who took the step (issue 11): submitted (every QA lead), returned to draft (its visitor, with
the reason), the provider's response (the QA leads and the visitor). Each once; a visit submitted
again after a return is a new hand-off. Sent through the real SMTP server."""

import pytest
from django.urls import reverse

from qa_portal.roles import Role
from tests.factories import RecommendationFactory, UserFactory
from tests.mail import deliver_all, html, link, listed_in_portal, text, to
from tests.visits.conftest import complete
from visits.models import VisitStatus

pytestmark = pytest.mark.django_db

SUBMITTED = "Visit to Harbour Lights Fostering submitted for quality assurance"
REASON = "Section 4 needs the young people's own words & what they said about bedtimes."


@pytest.fixture
def second_lead(db):
    return UserFactory(role=Role.QA_LEAD, full_name="Morgan Hale")


@pytest.fixture
def bystanders(db, commissioning_officer, manager, social_worker):
    """Staff who take no part in a visit's hand-offs, and a QA lead whose account is switched off."""
    return [
        commissioning_officer,
        manager,
        social_worker,
        UserFactory(role=Role.QA_LEAD, full_name="Left Lastyear", is_active=False),
    ]


def post(client, name, visit, data=None):
    return client.post(reverse(f"visits:{name}", args=[visit.pk]), data or {}, follow=True)


def emails_of(messages) -> list[str]:
    return sorted(m["To"] for m in messages)


def test_a_submitted_visit_tells_every_qa_lead_once_naming_the_visitor(
    client, senior_leader, qa_lead, second_lead, bystanders, visit, placed, smtp_server
):
    complete(visit, placed)
    client.force_login(senior_leader)
    post(client, "submit", visit)
    post(client, "submit", visit)  # a second press: refused, told nobody
    messages = deliver_all(smtp_server)
    assert emails_of(messages) == sorted([qa_lead.email, second_lead.email])
    message = to(messages, qa_lead)[0]
    assert message["Subject"] == SUBMITTED
    body = text(message)
    print(body)
    assert f"Dear {qa_lead.full_name}," in body
    assert (
        f"Chris Palmer has submitted the report of the visit to Harbour Lights Fostering on {visit.date:%-d %B %Y}."
        in body
    )
    assert "share it with the provider or return it to draft" in body
    assert link(visit.get_absolute_url()) in body
    assert "Chris Palmer" in html(message) and link(visit.get_absolute_url()) in html(message)
    assert listed_in_portal(client, qa_lead, SUBMITTED, visit.get_absolute_url())
    assert deliver_all(smtp_server) == []  # nothing more to send


def test_returned_to_draft_tells_its_visitor_with_the_reason_and_a_resubmission_is_a_new_handoff(
    client, senior_leader, qa_lead, second_lead, bystanders, visit, placed, smtp_server
):
    complete(visit, placed)
    client.force_login(senior_leader)
    post(client, "submit", visit)
    deliver_all(smtp_server)

    client.force_login(qa_lead)
    post(client, "return_to_draft", visit, {"note": REASON})
    messages = deliver_all(smtp_server)
    assert emails_of(messages) == [senior_leader.email]  # not the QA lead who returned it, nor the other
    [message] = messages
    assert message["Subject"] == "Visit to Harbour Lights Fostering returned to draft"
    body = text(message)
    print(body)
    assert (
        f"Laura Dennison has returned the report of the visit to Harbour Lights Fostering on {visit.date:%-d %B %Y} "
        "to draft, saying:" in body
    )
    assert REASON in body  # as typed: no "&#x27;" or "&amp;" in the text part
    assert link(visit.get_absolute_url()) in body
    assert listed_in_portal(
        client, senior_leader, "Visit to Harbour Lights Fostering returned to draft", visit.get_absolute_url()
    )

    client.force_login(senior_leader)
    post(client, "submit", visit)
    messages = deliver_all(smtp_server)
    assert emails_of(messages) == sorted([qa_lead.email, second_lead.email])
    assert {m["Subject"] for m in messages} == {
        "Visit to Harbour Lights Fostering submitted again for quality assurance"
    }
    assert "again, after it was returned to draft." in text(messages[0])


def test_the_one_who_submitted_is_told_of_the_return_as_well_as_the_lead_visitor(
    client, senior_leader, qa_lead, visit, placed, smtp_server
):
    colleague = UserFactory(role=Role.SENIOR_LEADER, full_name="Dana Whitlock")
    complete(visit, placed)
    client.force_login(colleague)
    post(client, "submit", visit)
    assert emails_of(deliver_all(smtp_server)) == [qa_lead.email]
    client.force_login(qa_lead)
    post(client, "return_to_draft", visit, {"note": REASON})
    assert emails_of(deliver_all(smtp_server)) == sorted([senior_leader.email, colleague.email])


def test_a_qa_lead_is_not_told_of_their_own_submission(client, qa_lead, second_lead, visit, placed, smtp_server):
    complete(visit, placed)
    client.force_login(qa_lead)
    post(client, "submit", visit)
    assert emails_of(deliver_all(smtp_server)) == [second_lead.email]


def test_the_providers_response_tells_the_qa_leads_and_the_visitor(
    client, senior_leader, qa_lead, second_lead, bystanders, provider_user, visit, placed, smtp_server
):
    complete(visit, placed)
    rec = RecommendationFactory(visit=visit, owner=senior_leader)
    visit.status = VisitStatus.SHARED
    visit.save()
    client.force_login(provider_user)
    respond = reverse("reviews:visit_respond", args=[visit.pk])
    client.post(
        respond,
        {
            "comment": "Thank you for visiting.",
            f"r{rec.pk}_accepted": "yes",
            f"r{rec.pk}_action": "Weekly activity planning",
            f"r{rec.pk}_action_by": "31/12/2030",
        },
    )
    messages = deliver_all(smtp_server)
    assert emails_of(messages) == sorted([qa_lead.email, second_lead.email, senior_leader.email])
    [lead_message] = to(messages, qa_lead)
    assert lead_message["Subject"] == "Harbour Lights Fostering responded to the visit report"
    body = text(lead_message)
    print(body)
    assert (
        f"Jo Marsh of Harbour Lights Fostering has responded to the report of the visit on {visit.date:%-d %B %Y}."
        in body
    )
    assert "Please read their response and finalise the report:" in body
    assert link(visit.get_absolute_url()) in body
    assert "Thank you for visiting" not in body  # a link to the report, never its contents
    [visitor_message] = to(messages, senior_leader)
    assert visitor_message["Subject"] == "Harbour Lights Fostering responded to the report of your visit"
    assert "You can read their response on the report:" in text(visitor_message)
    assert "finalise" not in text(visitor_message)
    assert listed_in_portal(
        client, qa_lead, "Harbour Lights Fostering responded to the visit report", visit.get_absolute_url()
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_submission_to_the_qa_lead(
    client, senior_leader, qa_lead, visit, placed, smtp_server, celery_worker
):
    complete(visit, placed)
    client.force_login(senior_leader)
    post(client, "submit", visit)
    [message] = smtp_server.wait_for(1, timeout=15)
    assert (message["To"], message["Subject"]) == (qa_lead.email, SUBMITTED)
