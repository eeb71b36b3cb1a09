"""The committee pack holds whatever people type, as the visit report does: its footer stays on one line
whatever a provider is called, and long links in a visit report of its appendix stay on the page."""

from datetime import date

import pytest

from qa_portal.reporting.committee import pack as committee_pack
from tests.factories import ProviderFactory, VisitFactory
from tests.pdf_reading import laid_out, without_spaces
from tests.visits.test_report_pdf_typed_text import MM, URL

pytestmark = pytest.mark.django_db

NAME = "The Harbour Lights Fostering and Supported Accommodation Partnership for Kent, Medway and the South East"


def test_the_packs_footer_stays_on_one_line_and_long_links_stay_on_the_page():
    VisitFactory(
        provider=ProviderFactory(name=NAME),
        planned_date=date(2024, 6, 3),
        visit_date=date(2024, 6, 3),
        status="finalised",
        overall_summary=f"Their plans are at {URL}",
    )
    source = committee_pack.PackSource(
        title="Annual report", period_start=date(2024, 4, 1), period_end=date(2025, 3, 31)
    )
    pdf, _ = committee_pack.build_pack(source)
    pages = laid_out(pdf)
    assert len(pages) >= 4
    for page in pages:
        footer = [word for word in page.words if word.top > page.height - 22 * MM]
        assert len({round(word.top) for word in footer}) == 1, f"page {page.number}: the footer wraps"
        assert "OFFICIAL-SENSITIVE" in [word.text for word in footer]
        assert str(page.number) in [word.text for word in footer]
        for word in page.words:
            assert word.left >= 17 * MM and word.right <= page.width - 17 * MM, word
    # The appendix's running title is the provider's name, cut short (with an ellipsis) before the marking.
    footer = [word for word in pages[-1].words if word.top > pages[-1].height - 22 * MM]
    marking = next(word for word in footer if word.text == "OFFICIAL-SENSITIVE")
    title = [word.text for word in footer if word.right < marking.left]
    assert " ".join(title).startswith("The Harbour Lights Fostering") and "East" not in title
    assert without_spaces(URL) in "".join(word.text for page in pages for word in page.words)
