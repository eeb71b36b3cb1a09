"""Preparing for a review meeting: the preparation page shows what happened since the last review, and
the agenda PDF carries the checklist, the young people by initials and the marking on every page; both in
a fixed number of queries."""

import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from reviews import preparation
from reviews.models import ComplianceArea
from tests.factories import ConcernFactory, PlacementFactory, RecommendationFactory, YoungPersonFactory
from tests.reviews.meeting_pages import _queries, url
from tests.reviews.test_meetings import days_ago, place, since_the_last_review

pytestmark = pytest.mark.django_db


def test_the_preparation_page_lists_what_happened_since_the_last_review_only(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    text = client.get(url("meeting_prepare", meeting)).text
    assert f"Since the last review, held on {days_ago(100):%-d %B %Y}" in text
    assert "Warm home; the garden needs work." in text
    assert "An old visit." not in text
    assert "Staff do not knock before entering." in text
    assert "An old concern about food." not in text
    assert "Agree a bedtime routine with RT." in text
    assert "A finished recommendation." not in text
    assert "Inadequate" in text
    assert "Changed from Good" in text
    assert re.search(r"NS</td>\s*<td[^>]*>Started", text)
    assert re.search(r"EL</td>\s*<td[^>]*>Ended", text)
    assert not re.search(r"OL</td>\s*<td[^>]*>Started", text)
    assert "Download the agenda (PDF)" in text


def test_staff_who_may_not_see_young_people_are_not_shown_placements(client, manager, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(manager)
    text = client.get(url("meeting_prepare", meeting)).text
    assert "Placements are shown only to staff who may see young people" in text
    assert "NS</td>" not in text


def _add_more_history(provider, n):
    for i in range(n):
        ConcernFactory(provider=provider, received_on=days_ago(5 + i))
        RecommendationFactory(visit__provider=provider)
        PlacementFactory(provider=provider, start_date=days_ago(5 + i))
        PlacementFactory(
            young_person=YoungPersonFactory(), provider=provider, start_date=days_ago(90), end_date=days_ago(3 + i)
        )


def test_the_preparation_page_runs_a_fixed_number_of_queries(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    _queries(client, url("meeting_prepare", meeting))  # the process's first page loads what it caches
    small = _queries(client, url("meeting_prepare", meeting))
    _add_more_history(provider, 6)
    assert _queries(client, url("meeting_prepare", meeting)) == small


def _pdf_pages(response) -> list[str]:
    assert response["Content-Type"] == "application/pdf"
    return [page.extract_text() for page in PdfReader(BytesIO(response.content)).pages]


def test_the_agenda_has_the_checklist_young_people_by_initials_and_the_marking_on_every_page(
    client, commissioning_officer, provider
):
    meeting = since_the_last_review(provider, commissioning_officer)
    people = place(provider, 6, initials=["JB", "KM", "RT", "AD", "PL", "SW"])
    _add_more_history(provider, 6)  # enough to run onto several pages
    client.force_login(commissioning_officer)
    response = client.get(url("meeting_agenda_pdf", meeting))
    # Never cached (OFFICIAL-SENSITIVE): made through qa_portal.documents, it says no-store as well.
    assert {"no-store", "max-age=0"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    pages = _pdf_pages(response)
    text = " ".join(" ".join(pages).split())
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") == 2, f"page {number}"
        assert f"Page {number} of {len(pages)}" in page
    assert "City of London Corporation" in text
    for area in ComplianceArea:
        assert area.label in text
    on = preparation.meeting_date(meeting)
    for person in people:
        assert f"{person.initials} {person.age_on(on)}" in text
        assert person.case_record_id not in text
    for heading in [
        "1. Attendees",
        "2. Outcomes for each young person placed",
        "5. Recommendations to review",
        "7. Any other business",
    ]:
        assert heading in text
    assert "Agree a bedtime routine with RT." in text


def test_the_agenda_runs_a_fixed_number_of_queries(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    client.force_login(commissioning_officer)
    small = _queries(client, url("meeting_agenda_pdf", meeting))
    _add_more_history(provider, 4)
    assert _queries(client, url("meeting_agenda_pdf", meeting)) == small


def test_each_young_person_is_listed_once_with_their_age_and_cohort_however_many_placements(
    client, commissioning_officer, provider
):
    meeting = since_the_last_review(provider, commissioning_officer)
    today = date.today()
    born = date(today.year - 15, 1, 1) if (today.month, today.day) > (1, 1) else date(today.year - 16, 1, 1)
    twice = YoungPersonFactory(initials="QZ", date_of_birth=born, cohort="child_in_care")
    # Two placements with the provider in the meeting's window (moved between its settings).
    PlacementFactory(young_person=twice, provider=provider, start_date=days_ago(300), end_date=days_ago(1))
    PlacementFactory(young_person=twice, provider=provider, start_date=days_ago(1))
    client.force_login(commissioning_officer)
    text = client.get(url("meeting_prepare", meeting)).text
    rows = re.findall(r"<td[^>]*>QZ</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>([^<]+)</td>", text)
    assert len(rows) == 1
    age, cohort = rows[0]
    assert int(age) == twice.age_on(preparation.meeting_date(meeting))
    assert cohort == twice.get_cohort_display()
