"""The review meeting's agenda and the tracker's PDF hold whatever people type, as the visit report does
(tests/visits/test_report_pdf_typed_text.py): long links stay on the page, the header row is on every
page a table spans, and a character no font can draw is reported, not printed as an empty box."""

import pytest
from django.utils import timezone

from qa_portal.pdf import render_pdf_checked
from reviews.models import Recommendation
from tests.factories import RecommendationFactory
from tests.pdf_reading import laid_out, pages_of, without_spaces
from tests.reviews.meeting_pages import url
from tests.reviews.test_meetings import since_the_last_review
from tests.visits.test_report_pdf_typed_text import EMAIL, LONG, MM, URL

pytestmark = pytest.mark.django_db


def _assert_every_word_is_inside_the_margins(pdf: bytes, side_mm: float) -> None:
    for page in laid_out(pdf):
        for word in page.words:
            assert word.left >= (side_mm - 1) * MM and word.right <= page.width - (side_mm - 1) * MM, word


def test_the_agenda_keeps_long_links_on_the_page_and_its_header_row_on_every_page(
    client, commissioning_officer, provider
):
    meeting = since_the_last_review(provider, commissioning_officer)
    meeting.attendees = f"Amir Khan, IRO, {EMAIL}\nJoin online: {URL}"
    meeting.save()
    RecommendationFactory(visit__provider=provider, text=f"Read {URL} with the young people. {LONG}")
    client.force_login(commissioning_officer)
    response = client.get(url("meeting_agenda_pdf", meeting))
    assert response["Content-Type"] == "application/pdf"
    # The recommendations are a table laid out by its content, which a long link used to widen past the page.
    _assert_every_word_is_inside_the_margins(response.content, side_mm=18)
    pages = pages_of(response.content)
    assert without_spaces(URL) in without_spaces(" ".join(pages))
    spanned = [number for number, text in enumerate(pages, start=1) if "of the longest recommendation" in text]
    assert len(spanned) >= 2
    for number in spanned:
        assert "Recommendation From Owner Due Progress" in pages[number - 1], f"page {number}"
    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert "no font on the server can show" not in page


def test_the_agenda_tells_its_reader_of_a_character_no_font_can_draw(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    meeting.attendees = "Amir Khan \U000f0001"  # a character from a private-use plane
    meeting.save()
    client.force_login(commissioning_officer)
    response = client.get(url("meeting_agenda_pdf", meeting))
    assert "U+F0001" in pages_of(response.content)[-1].replace("\x00", "")
    page = client.get(url("meeting_detail", meeting)).content.decode()
    assert "The agenda (PDF) has characters that no font on the server can show" in page
    assert "U+F0001 (a private-use character, with no agreed meaning) in “1. Attendees”" in page


def test_the_trackers_pdf_keeps_long_links_on_the_page_and_its_header_row_on_every_page(provider, qa_lead):
    RecommendationFactory(visit__provider=provider, text=f"See {URL}. {LONG}", provider_action=f"Write to {EMAIL}")
    RecommendationFactory(visit__provider=provider, text="Fix the garden fence.")
    rendered = render_pdf_checked(
        "reviews/tracker_pdf.html",
        {
            "recommendations": list(Recommendation.objects.select_related("provider", "owner", "young_person")),
            "figures": [],
            "described": ["all recommendations"],
            "today": timezone.localdate(),
            "printed_by": qa_lead.full_name,
        },
    )
    assert rendered.unshown == ()
    _assert_every_word_is_inside_the_margins(rendered.content, side_mm=14)
    pages = pages_of(rendered.content)
    text = without_spaces(" ".join(pages))
    assert without_spaces(URL) in text and EMAIL in text
    spanned = [number for number, text in enumerate(pages, start=1) if "of the longest recommendation" in text]
    assert len(spanned) >= 2
    for number in spanned:
        assert "No. and source Provider and young person Recommendation" in pages[number - 1], f"page {number}"
