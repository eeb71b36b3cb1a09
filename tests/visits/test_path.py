"""A visit's path: submitted, shared (with an email and a due date), responded, finalised, recorded."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import Contact
from qa_portal.working_days import add_working_days
from tests.factories import RecommendationFactory
from tests.visits.conftest import complete, share_form, share_with_provider
from visits.models import CaseRecordEntry, VisitStatus

pytestmark = pytest.mark.django_db


def post(client, name, visit, data=None):
    return client.post(reverse(f"visits:{name}", args=[visit.pk]), data or {}, follow=True)


def test_an_incomplete_visit_cannot_be_submitted_and_says_what_is_missing(client, senior_leader, visit):
    client.force_login(senior_leader)
    response = post(client, "submit", visit)
    assert "cannot be submitted yet" in response.text
    assert "Enter the date of the visit" in response.text
    assert "Answer &#x27;Do they feel safe, happy and listened to?&#x27;" in response.text
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT


def test_a_complete_visit_is_submitted_and_can_no_longer_be_edited(client, senior_leader, visit, placed):
    complete(visit, placed)
    client.force_login(senior_leader)
    response = post(client, "submit", visit)
    assert "Visit submitted to the QA lead" in response.text
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SUBMITTED
    assert [e.step for e in visit.events.all()] == ["submitted"]
    assert client.post(reverse("visits:section", args=[visit.pk, 3]), {}).status_code == 403


def test_only_the_qa_lead_shares_a_report(client, senior_leader, visit, placed):
    complete(visit, placed)
    client.force_login(senior_leader)
    post(client, "submit", visit)
    assert client.post(reverse("visits:share", args=[visit.pk])).status_code == 403


def test_sharing_sets_the_response_due_date_and_emails_the_provider(
    client, qa_lead, senior_leader, visit, placed, provider_user, smtp_server, celery_worker
):
    Contact.objects.create(provider=visit.provider, name="Bernie Q", email="bernie@provider.example.org")
    Contact.objects.create(
        provider=visit.provider, name="No Reports", email="quiet@provider.example.org", receives_reports=False
    )
    complete(visit, placed)
    client.force_login(senior_leader)
    post(client, "submit", visit)
    client.force_login(qa_lead)
    response = share_with_provider(client, visit)
    assert "Report shared with the provider" in response.text
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SHARED
    assert visit.response_due == add_working_days(date.today(), 10)

    # Three emails: the QA lead was told of the submission (tests/visits/test_handoffs.py), then the provider.
    messages = [m for m in smtp_server.wait_for(3, timeout=15) if m["To"] != qa_lead.email]
    assert sorted(m["To"] for m in messages) == sorted(["bernie@provider.example.org", provider_user.email])
    message = next(m for m in messages if m["To"] == provider_user.email)
    body = message.get_body(("plain",)).get_content()
    assert f"Dear {provider_user.full_name}" in body
    assert f"http://127.0.0.1:8000/visits/{visit.pk}/" in body
    assert visit.response_due.strftime("%-d %B %Y") in body
    assert message.get_body(("html",)) is not None
    assert "A warm, well-run home" not in body  # the email links to the report; it never carries it


def test_the_provider_responds_and_the_qa_lead_finalises(client, qa_lead, senior_leader, visit, placed, provider_user):
    complete(visit, placed)
    rec = RecommendationFactory(visit=visit, owner=senior_leader)
    visit.status = VisitStatus.SHARED
    visit.save()
    client.force_login(provider_user)
    page = " ".join(client.get(visit.get_absolute_url()).text.split())
    assert "Respond to the report: say whether you accept each recommendation and what you will do about it." in page
    refused = client.post(
        reverse("reviews:visit_respond", args=[visit.pk]), {"comment": "Thank you", f"r{rec.pk}_accepted": "yes"}
    )
    assert "Say what you will do about recommendation 1" in refused.text
    assert "Thank you" in refused.text
    response = client.post(
        reverse("reviews:visit_respond", args=[visit.pk]),
        {
            "comment": "Thank you for visiting.",
            f"r{rec.pk}_accepted": "yes",
            f"r{rec.pk}_action": "Weekly activity planning with each young person",
            f"r{rec.pk}_action_by": "31/12/2026",
        },
        follow=True,
    )
    assert "your response has been sent" in response.text
    visit.refresh_from_db()
    rec.refresh_from_db()
    assert (visit.status, visit.provider_comment) == (VisitStatus.RESPONDED, "Thank you for visiting.")
    assert (rec.provider_accepted, rec.provider_action_by) == (True, date(2026, 12, 31))
    # The provider's page says who responded, when, and what happens next.
    responded_on = f"{timezone.localdate():%-d %B %Y}"
    page = " ".join(client.get(visit.get_absolute_url()).text.split())
    assert f"{provider_user.full_name} sent your organisation's response on {responded_on}." in page
    assert "The council will read your response and finalise the report." in page

    client.force_login(qa_lead)
    post(client, "finalise", visit)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.FINALISED
    client.force_login(provider_user)
    page = " ".join(client.get(visit.get_absolute_url()).text.split())
    assert (
        f"The council has finalised the report, with the response {provider_user.full_name} sent on {responded_on}."
        in page
    )
    assert "Change your response" not in page
    client.force_login(qa_lead)
    for person in placed:
        client.post(reverse("visits:case_record_note_recorded", args=[visit.pk, person.pk]))
    assert set(CaseRecordEntry.objects.filter(visit=visit).values_list("young_person__initials", flat=True)) == {
        "JB",
        "KM",
    }
    steps = [(e.step, e.note) for e in visit.events.all()][-4:]
    assert steps == [
        ("responded", ""),
        ("finalised", ""),
        ("case_recorded", "1 of 2 case records"),
        ("case_recorded", "2 of 2 case records"),
    ]


def test_a_provider_who_does_not_accept_must_say_why(client, visit, placed, provider_user, senior_leader):
    complete(visit, placed)
    rec = RecommendationFactory(visit=visit, owner=senior_leader)
    visit.status = VisitStatus.SHARED
    visit.save()
    client.force_login(provider_user)
    response = client.post(
        reverse("reviews:visit_respond", args=[visit.pk]), {"comment": "Noted", f"r{rec.pk}_accepted": "no"}
    )
    assert "Say why you do not accept recommendation 1" in response.text


def test_a_finalised_report_is_no_longer_open_to_responses(client, visit, placed, provider_user):
    complete(visit, placed)
    visit.status = VisitStatus.FINALISED
    visit.save()
    client.force_login(provider_user)
    response = client.get(reverse("reviews:visit_respond", args=[visit.pk]), follow=True)
    assert "no longer open for responses" in response.text


def test_two_clicks_on_share_move_the_visit_once(client, qa_lead, senior_leader, visit, placed, provider_user):
    complete(visit, placed)
    client.force_login(senior_leader)
    post(client, "submit", visit)
    client.force_login(qa_lead)
    confirmation = share_form(client, visit)
    post(client, "share", visit, confirmation)
    second = post(client, "share", visit, confirmation)
    assert "already saved" in second.text
    assert visit.events.filter(step="shared").count() == 1


def test_the_qa_lead_can_return_a_submitted_visit_to_draft_with_a_note(client, qa_lead, senior_leader, visit, placed):
    complete(visit, placed)
    client.force_login(senior_leader)
    post(client, "submit", visit)
    client.force_login(qa_lead)
    refused = client.post(reverse("visits:return_to_draft", args=[visit.pk]), {"note": ""})
    assert "Say what needs changing" in refused.text
    post(client, "return_to_draft", visit, {"note": "Please add the young people's views"})
    visit.refresh_from_db()
    assert visit.status == VisitStatus.DRAFT
    assert visit.events.last().note == "Please add the young people's views"


def test_the_visits_page_shows_the_path(client, qa_lead, senior_leader, visit, placed):
    complete(visit, placed)
    client.force_login(senior_leader)
    post(client, "submit", visit)
    client.force_login(qa_lead)
    html = client.get(visit.get_absolute_url()).text
    assert "Submitted</strong>: Chris Palmer" in html
    assert "Check and share the report with the provider" in html


def test_a_no_judgement_flags_the_provider(client, qa_lead, visit, placed):
    complete(visit, placed)
    visit.overall_judgement = "no"
    visit.save()
    client.force_login(qa_lead)
    assert "would not want their own child here" in client.get(visit.get_absolute_url()).text


def test_each_step_after_finalising_is_offered_until_it_is_taken_and_taken_once(client, qa_lead, visit, placed):
    complete(visit, placed)
    visit.status = VisitStatus.FINALISED
    visit.save()
    client.force_login(qa_lead)
    page = client.get(visit.get_absolute_url()).text
    assert "Copy and record the case-record notes" in page
    assert "Share with commissioning" in page

    response = post(client, "commissioning", visit)
    assert "Shared with commissioning: the officers have been emailed" in response.text
    assert '<form method="post" action="' + reverse("visits:commissioning", args=[visit.pk]) not in response.text
