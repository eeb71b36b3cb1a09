"""A PDF with a lot of text is made by the worker, not in the web request (issue 13, "size is
unbounded"): with 20 recommendations of 5,000 characters for one provider, the review meeting agenda and
the tracker PDF took minutes in the request. Like a long visit report, both now answer at once with the
document's page when they would hold more than settings.PDF_CHARACTERS_IN_REQUEST characters; a real
worker makes them, and the download is logged as the PDF made at once was. Short ones still come at once."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from providers.models import YoungPerson
from qa_portal.models import AccessAction, Document, PersonalDataAccess
from reviews import meetings
from tests.factories import PlacementFactory, RecommendationFactory, YoungPersonFactory
from tests.pdf_reading import text_of_pdf
from tests.processes import wait_until

# 5,000 characters of ordinary words, as a long recommendation is written (issue 13's size).
LONG_TEXT = ("Agree with each young person how they will be supported at night and record it in the plan. " * 55)[:5000]


def long_recommendations(provider, owner, *, young_person=None) -> None:
    """Issue 13's case: 20 open recommendations of 5,000 characters for `provider`, the first for a child."""
    for n in range(20):
        RecommendationFactory(
            visit__provider=provider,
            owner=owner,
            text=f"LONG-{n}: {LONG_TEXT}"[:5000],
            **({"level": "child", "young_person": young_person} if n == 0 and young_person else {}),
        )


def agenda_url(meeting) -> str:
    return reverse("reviews:meeting_agenda_pdf", args=[meeting.pk])


def tracker_url() -> str:
    return reverse("reviews:tracker_export", args=["pdf"])


def a_meeting(provider, by):
    return meetings.meeting_schedule(provider=provider, due_date=timezone.localdate() + timedelta(days=7), by=by)


def answered_quickly(client, url, data=None):
    started = time.monotonic()
    response = client.get(url, data or {})
    seconds = time.monotonic() - started
    assert seconds < 5, f"the web request took {seconds:.1f} s"
    return response


def shows_it_being_made(client, response, heading: str) -> Document:
    assert response.status_code == 302
    assert b"%PDF" not in response.content
    document = Document.objects.get()
    assert response.url == reverse("document_detail", args=[document.pk])
    # A real worker may have started on it already, but it cannot be ready this soon.
    assert (document.format, document.content) == ("pdf", None)
    assert document.status in ("queued", "running")
    page = client.get(response.url).text
    assert f"{heading} (PDF)" in page
    assert "It is too big to make while you wait, so it is being made in the background." in page
    return document


@pytest.mark.django_db
def test_a_long_agenda_answers_at_once_with_the_page_of_the_document_being_made(
    client, commissioning_officer, provider
):
    long_recommendations(provider, commissioning_officer)
    meeting = a_meeting(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    response = answered_quickly(client, agenda_url(meeting))
    document = shows_it_being_made(client, response, "Review meeting agenda")
    assert document.kind == "review-meeting-agenda"
    assert meeting.provider.name in document.title


@pytest.mark.django_db
def test_a_long_tracker_pdf_of_one_provider_answers_at_once_with_the_page_of_the_document_being_made(
    client, qa_lead, provider
):
    long_recommendations(provider, qa_lead)
    client.force_login(qa_lead)
    response = answered_quickly(client, tracker_url(), {"provider": provider.pk})
    document = shows_it_being_made(client, response, "Recommendation and Impact Tracker")
    # 20 rows is well under the rows allowed at once: it is the characters that sent it to the worker.
    assert (document.kind, document.rows) == ("recommendation-tracker", 20)


@pytest.mark.django_db
def test_a_short_agenda_and_tracker_pdf_still_come_at_once(client, qa_lead, commissioning_officer, provider):
    RecommendationFactory(visit__provider=provider, owner=qa_lead, text="Fix the garden fence.")
    meeting = a_meeting(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    agenda = client.get(agenda_url(meeting))
    assert agenda["Content-Type"] == "application/pdf"
    assert "Fix the garden fence." in text_of_pdf(agenda.content)
    client.force_login(qa_lead)
    tracker = client.get(tracker_url(), {"provider": provider.pk})
    assert tracker["Content-Type"] == "application/pdf"
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_provider_user_gets_no_agenda_long_or_short(client, provider_user, commissioning_officer, provider):
    long_recommendations(provider, commissioning_officer)
    meeting = a_meeting(provider, commissioning_officer)
    client.force_login(provider_user)
    assert client.get(agenda_url(meeting)).status_code == 404
    assert not Document.objects.exists()


def made_by_the_worker(document: Document) -> Document:
    wait_until(lambda: Document.objects.get(pk=document.pk).status == "done", 120, "the worker making it")
    return Document.objects.get(pk=document.pk)


def test_a_real_worker_makes_the_long_agenda_and_its_download_is_logged_with_the_meeting(
    client, celery_worker, qa_lead, provider
):
    child = YoungPersonFactory(initials="JB")
    long_recommendations(provider, qa_lead, young_person=child)
    meeting = a_meeting(provider, qa_lead)
    client.force_login(qa_lead)
    document = shows_it_being_made(client, answered_quickly(client, agenda_url(meeting)), "Review meeting agenda")
    made_by_the_worker(document)
    assert not PersonalDataAccess.objects.exists()  # nothing is handed over until it is downloaded

    made = client.get(reverse("document_download", args=[document.pk]))
    assert made["Content-Type"] == "application/pdf"
    assert made["Content-Disposition"].startswith('inline; filename="review-meeting-agenda-')
    text = text_of_pdf(made.content)
    assert "LONG-0:" in text and "LONG-19:" in text
    [entry] = PersonalDataAccess.objects.all()
    assert (entry.user, entry.action, entry.record) == (qa_lead, AccessAction.DOWNLOADED, meeting)
    assert entry.what == f"Review meeting agenda: {provider.name}, {meeting.due_date:%-d %B %Y}"
    assert entry.subject_type.model_class() is YoungPerson and entry.subject_ids == [child.pk]


def test_a_real_worker_makes_the_long_tracker_pdf(client, celery_worker, qa_lead, provider):
    long_recommendations(provider, qa_lead)
    client.force_login(qa_lead)
    response = answered_quickly(client, tracker_url(), {"provider": provider.pk})
    document = made_by_the_worker(shows_it_being_made(client, response, "Recommendation and Impact Tracker"))
    made = client.get(reverse("document_download", args=[document.pk]))
    assert made["Content-Type"] == "application/pdf"
    text = text_of_pdf(made.content)
    assert "LONG-0:" in text and "LONG-19:" in text


@pytest.mark.django_db
def test_an_agenda_of_many_young_people_placed_is_made_by_the_worker_though_little_is_written(
    client, settings, commissioning_officer, provider
):
    # Issue 15: the busiest provider's agenda (668 young people placed, 12,193 characters written) took
    # 9 to 29 s in the web request; each row of its tables costs layout time as text does.
    settings.PDF_CHARACTERS_IN_REQUEST = 3_000
    RecommendationFactory(visit__provider=provider, owner=commissioning_officer, text="Fix the garden fence.")
    for _ in range(4):
        PlacementFactory(provider=provider)
    meeting = a_meeting(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    assert client.get(agenda_url(meeting))["Content-Type"] == "application/pdf"  # 5 rows: at once

    for _ in range(6):
        PlacementFactory(provider=provider)
    response = answered_quickly(client, agenda_url(meeting))
    assert shows_it_being_made(client, response, "Review meeting agenda").kind == "review-meeting-agenda"
