"""A run of thousands of characters with nowhere to wrap (pasted to break things, or by accident) is
wrapped in every PDF, whatever its script: it stays inside the page and is printed whole, and the PDF
is made in seconds rather than in minutes (qa_portal/long_words.py: WeasyPrint's time grows with the
square of a line's length). The agenda and the tracker's PDF, with the kinds of run that used to take
it longest."""

import pytest
from django.utils import timezone

from qa_portal.long_words import BREAK, STRETCH, with_places_to_wrap
from qa_portal.pdf import render_pdf_checked
from reviews.models import Recommendation
from tests.factories import RecommendationFactory
from tests.pdf_reading import laid_out, pages_of
from tests.reviews.meeting_pages import url
from tests.reviews.test_meetings import since_the_last_review
from tests.visits.test_report_pdf_typed_text import MM

pytestmark = pytest.mark.django_db

# 2,000 characters each, 10,000 in all: Hebrew and Devanagari (letters of scripts the careful rules
# leave whole), a letter with its combining accent, a family emoji (joined by zero-width joiners), and
# Latin letters glued together by no-break spaces.
ENDLESS = {
    "hebrew": "שלום" * 500,
    "devanagari": "क्षत्रिय" * 250,
    "accents": "e\u0301" * 1000,
    "family": "👨\u200d👩\u200d👧" * 400,
    "no-break spaces": "ab\u00a0" * 667,
}


def _assert_inside_the_margins(pdf: bytes, side_mm: float) -> None:
    for page in laid_out(pdf):
        for word in page.words:
            assert word.left >= (side_mm - 1) * MM and word.right <= page.width - (side_mm - 1) * MM, word


def test_every_endless_run_gets_places_to_wrap_between_whole_characters():
    for name, run in ENDLESS.items():
        wrapped = with_places_to_wrap(f"<p>{run}</p>")[3:-4]
        assert wrapped.replace(BREAK, "") == run, name
        pieces = wrapped.split(BREAK)
        assert max(map(len, pieces)) <= 3 * STRETCH, name  # a cluster (a family emoji) may be 5 characters
        assert all(not piece.startswith(("\u0301", "\u200d", "\u094d")) for piece in pieces), name


def test_the_agenda_wraps_endless_runs_inside_the_page(client, commissioning_officer, provider):
    meeting = since_the_last_review(provider, commissioning_officer)
    meeting.attendees = "\n".join(ENDLESS.values())
    meeting.save()
    client.force_login(commissioning_officer)
    response = client.get(url("meeting_agenda_pdf", meeting))
    assert response["Content-Type"] == "application/pdf"
    _assert_inside_the_margins(response.content, side_mm=18)
    assert " ".join(pages_of(response.content)).count("ש") == 500  # printed whole


def test_the_trackers_pdf_wraps_endless_runs_inside_the_page(provider, qa_lead):
    for run in ENDLESS.values():
        RecommendationFactory(visit__provider=provider, text=run)
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
    _assert_inside_the_margins(rendered.content, side_mm=14)
    assert " ".join(pages_of(rendered.content)).count("ש") == 500  # printed whole, across pages
