"""An action assigned is a hand-off (issue 11): a recommendation's owner is told at once when it is
raised with them as owner, or passed to them, in the portal and by email with a link back, naming who
did it; not first in the digest 7 days before it is due. Each owner once; a new owner in turn."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qa_portal.reporting.reminders import send_reminders
from reviews.models import Recommendation
from tests.factories import ConcernFactory, VisitFactory
from tests.mail import deliver_all, html, link, listed_in_portal, text, to
from tests.reviews.recommendation_pages import detail

pytestmark = pytest.mark.django_db

TEXT = "Agree a plan with JB's social worker & the home for evening activities by the end of the month."


def due(days=30):
    return timezone.localdate() + timedelta(days=days)


def form(owner, **changes):
    return {
        "level": "provider_service",
        "text": TEXT,
        "owner": owner.pk,
        "action_holder": "social_worker",
        "due_date": f"{due():%d/%m/%Y}",
        "priority": "high",
        **changes,
    }


def subject(when=None):
    return f"Recommendation about Harbour Lights Fostering assigned to you, due {when or due():%-d %B %Y}"


def test_a_social_worker_given_an_action_on_a_visit_is_told_at_once(
    client, senior_leader, social_worker, qa_lead, visit, smtp_server
):
    client.force_login(senior_leader)
    client.post(reverse("reviews:visit_recommendation_create", args=[visit.pk]), form(social_worker))
    rec = Recommendation.objects.get()
    messages = deliver_all(smtp_server)
    assert [m["To"] for m in messages] == [social_worker.email]
    [message] = messages
    assert message["Subject"] == subject()
    body = text(message)
    print(body)
    assert f"Dear {social_worker.full_name}," in body
    assert (
        "Chris Palmer has made you the owner of a recommendation from the visit to Harbour Lights Fostering "
        f"on {visit.date:%-d %B %Y}:" in body
    )
    assert TEXT in body  # as typed, no entities
    assert "Action held by: Social worker" in body
    assert f"Due by: {due():%-d %B %Y} (in 30 days)" in body
    assert link(detail(rec)) in body
    assert "Chris Palmer" in html(message)
    assert listed_in_portal(client, social_worker, subject(), detail(rec))

    # The daily digest still comes nearer the time; this was not it.
    send_reminders(today=timezone.localdate())
    assert deliver_all(smtp_server) == []


def test_passing_a_recommendation_on_tells_the_new_owner_once(
    client, senior_leader, social_worker, manager, visit, smtp_server
):
    client.force_login(senior_leader)
    client.post(reverse("reviews:visit_recommendation_create", args=[visit.pk]), form(senior_leader))
    rec = Recommendation.objects.get()
    assert deliver_all(smtp_server) == []  # nobody is told of an action they gave themselves
    edit = reverse("reviews:recommendation_edit", args=[rec.pk])

    client.post(edit, form(social_worker))
    assert [m["To"] for m in deliver_all(smtp_server)] == [social_worker.email]

    client.post(edit, form(social_worker, priority="low"))  # the same owner: nobody is told
    assert deliver_all(smtp_server) == []

    client.post(edit, form(manager))
    messages = deliver_all(smtp_server)
    assert [m["To"] for m in messages] == [manager.email]
    assert to(messages, manager)[0]["Subject"] == subject()
    assert "Chris Palmer has made you the owner of a recommendation" in text(messages[0])

    client.post(edit, form(manager, text=TEXT + " Changed."))
    client.post(edit, form(social_worker))  # back to one already told
    assert deliver_all(smtp_server) == []


def test_an_action_from_a_concern_tells_its_owner(client, qa_lead, social_worker, provider, smtp_server):
    concern = ConcernFactory(provider=provider)
    client.force_login(qa_lead)
    client.post(reverse("reviews:recommendation_create"), form(social_worker, provider=provider.pk, concern=concern.pk))
    [message] = deliver_all(smtp_server)
    assert (message["To"], message["Subject"]) == (social_worker.email, subject())
    assert (
        "Laura Dennison has made you the owner of a recommendation from a concern about Harbour Lights Fostering:"
        in text(message)
    )


def test_an_action_agreed_at_a_review_meeting_tells_its_owner(
    client, commissioning_officer, social_worker, meeting, smtp_server
):
    deliver_all(smtp_server)  # the meeting's scheduling
    client.force_login(commissioning_officer)
    response = client.post(
        reverse("reviews:meeting_recommendation_create", args=[meeting.pk]), form(social_worker, due_date="")
    )
    assert response.status_code == 200  # refused: no due date, nobody told
    client.post(reverse("reviews:meeting_recommendation_create", args=[meeting.pk]), form(social_worker))
    [message] = deliver_all(smtp_server)
    assert (message["To"], message["Subject"]) == (social_worker.email, subject())
    assert (
        "Sam Okafor has made you the owner of a recommendation from the review meeting with Harbour Lights Fostering:"
        in text(message)
    )


def test_an_action_due_today_says_so(client, qa_lead, social_worker, provider, smtp_server):
    client.force_login(qa_lead)
    client.post(
        reverse("reviews:recommendation_create"),
        form(social_worker, provider=provider.pk, due_date=f"{due(0):%d/%m/%Y}"),
    )
    [message] = deliver_all(smtp_server)
    assert message["Subject"] == subject(due(0))
    assert f"Due by: {due(0):%-d %B %Y} (today)" in text(message)


@pytest.fixture
def visit(provider, senior_leader):
    return VisitFactory(provider=provider, lead_visitor=senior_leader, visit_date=timezone.localdate())
