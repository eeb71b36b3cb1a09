"""Pages that share one template: the recommendation form for visits and review meetings, and the
review preparation on screen and in the agenda PDF."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from qa_portal import tags
from reviews import meetings, preparation
from tests.reviews.test_meetings import place, since_the_last_review, today

pytestmark = pytest.mark.django_db

PREPARATION = [
    "reviews/meetings/preparation/_summary.html",
    "reviews/meetings/preparation/_since_last_review.html",
    "reviews/meetings/preparation/_recommendations.html",
    "reviews/meetings/preparation/_young_people.html",
]


def templates_used(response) -> set[str]:
    return {template.name for template in response.templates}


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_preparation_page_and_the_agenda_show_the_same_preparation(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    page = client.get(reverse("reviews:meeting_prepare", args=[meeting.pk]))
    agenda = client.get(reverse("reviews:meeting_agenda_pdf", args=[meeting.pk]))

    assert set(PREPARATION) <= templates_used(page)
    assert set(PREPARATION) <= templates_used(agenda)
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(agenda.content)).pages)
    for fact in [
        "Warm home; the garden needs work.",
        "Staff do not knock before entering.",
        "Changed from Good",
        "Agree a bedtime routine with RT.",
        "Since the last review, held on",
    ]:
        assert fact in words(page.text)
        assert fact in pdf
    # The Inadequate judgement is red on the page and in the PDF.
    assert '<strong class="govuk-tag govuk-tag--red">Inadequate</strong>' in page.text
    red = tags.PALETTE["red"]
    assert f"{red.background[1:]}" in _fill_colours(agenda.content)
    # Only the agenda has room to write progress in; only the page links to the visit.
    assert "Progress" in pdf and "Progress" not in words(page.text)
    assert 'href="/visits/' in page.text


def _fill_colours(content: bytes) -> str:
    streams = [p.get_contents().get_data().decode("latin-1") for p in PdfReader(BytesIO(content)).pages]
    return " ".join(
        "".join(f"{round(float(part) * 255):02x}" for part in match)
        for stream in streams
        for match in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg\b", stream)
    )


def test_the_agenda_lists_each_young_person_to_write_their_outcomes_beside(client, commissioning_officer, provider):
    people = place(provider, 2, initials=["JB", "KM"])
    meeting = meetings.meeting_schedule(
        provider=provider, due_date=today() + timedelta(days=7), by=commissioning_officer
    )
    client.force_login(commissioning_officer)
    page = client.get(reverse("reviews:meeting_prepare", args=[meeting.pk]))
    agenda = client.get(reverse("reviews:meeting_agenda_pdf", args=[meeting.pk]))
    pdf = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(agenda.content)).pages)
    assert "Outcomes and notes" in pdf and "Outcomes and notes" not in page.text
    on = preparation.meeting_date(meeting)
    for person in people:
        assert f"{person.initials} {person.age_on(on)}" in pdf
        assert f"{person.initials} {person.age_on(on)}" in words(page.text)
        assert person.case_record_id not in page.text


def test_a_visit_and_a_review_meeting_add_recommendations_on_the_one_form(
    client, senior_leader, commissioning_officer, visit, provider
):
    place(provider, 1, initials=["JB"])
    meeting = meetings.meeting_schedule(
        provider=provider, due_date=today() + timedelta(days=7), by=commissioning_officer
    )
    pages = [
        (senior_leader, reverse("reviews:visit_recommendation_create", args=[visit.pk]), visit, "Back to the visit"),
        (
            commissioning_officer,
            reverse("reviews:meeting_recommendation_create", args=[meeting.pk]),
            meeting,
            "Back to the meeting",
        ),
    ]
    for user, url, source, back in pages:
        client.force_login(user)
        response = client.get(url)
        assert "reviews/recommendation_form.html" in templates_used(response)
        assert f'<a href="{source.get_absolute_url()}" class="govuk-back-link">{back}</a>' in response.text
        assert "Make it specific, measurable, achievable, relevant and time-bound." in response.text
        # An empty form: the error summary links a choice to its first radio, where GOV.UK says it lands.
        errors = client.post(url, {"text": ""}).text
        assert '<a href="#id_level_1">Choose whether this is for a child or a service</a>' in errors
