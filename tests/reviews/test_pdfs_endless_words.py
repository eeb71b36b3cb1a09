"""A run of thousands of characters with nowhere to wrap (pasted to break things, or by accident) is
wrapped in every PDF, whatever its script: the document WeasyPrint lays out has places to wrap in it
every few characters, so it is made in seconds rather than minutes (qa_portal/long_words.py:
WeasyPrint's time grows with the square of a line's length; 10,000 characters took up to 20 seconds),
and it stays inside the page, printed whole. The agenda and the tracker's PDF, with the kinds of run
that used to take longest. Every PDF is made by qa_portal.pdf.render_pdf_checked, which alone hands a
document to WeasyPrint (through qa_portal/pdf_layout.py, the only module that imports it)."""

import re
from pathlib import Path

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

AGENDA = "reviews/meetings/agenda_pdf.html"

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


def _assert_wrapped(html: str) -> None:
    """No run of the laid-out document's text is longer than a few clusters between places to wrap."""
    text = re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1])
    for name, run in ENDLESS.items():
        assert run not in text, f"{name} is not wrapped"
    longest = max(map(len, re.split(rf"[\s{BREAK}]+", text)))
    assert longest <= 3 * STRETCH, longest


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
    # The document the view laid out, made again from the context the view gave its template.
    context = response.context[[t.name for t in response.templates].index(AGENDA)].flatten()
    _assert_wrapped(render_pdf_checked(AGENDA, context).html)


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
    _assert_wrapped(rendered.html)
    _assert_inside_the_margins(rendered.content, side_mm=14)
    assert " ".join(pages_of(rendered.content)).count("ש") == 500  # printed whole, across pages


def test_only_the_pdf_module_hands_documents_to_weasyprint():
    root = Path(__file__).resolve().parents[2]
    users = [
        str(path.relative_to(root))
        for folder in ("qa_portal", "providers", "visits", "reviews")
        for path in (root / folder).rglob("*.py")
        if re.search(r"^\s*(from|import) weasyprint", path.read_text(), re.M)
    ]
    # qa_portal/pdf.py imports it from there when it lays out its first PDF, never at start-up.
    assert users == ["qa_portal/pdf_layout.py"]
