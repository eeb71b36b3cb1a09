"""The committee pack's "You said, we did" (issue 17, section 5): what a young person said and what was
done stand together, so a page never ends on "You said" with "We did" over the page. Laid out from the
pack's own markup and stylesheets, without the rest of the pack (cheap: one short PDF)."""

from datetime import date

from django.template.loader import render_to_string

from qa_portal.pdf_layout import write_pdf
from reviews.you_said import Pair
from tests.pdf_reading import pages_of


def _pair(number: int) -> Pair:
    # Lengths that vary, so that across some pages a pair falls where the page ends.
    said = f"SAID{number:02d} " + "I would like more time to see my friends after school. " * (1 + number % 4)
    did = f"DID{number:02d} " + "Her curfew on Fridays moved to nine and she goes to youth club. " * (1 + number % 3)
    return Pair(said, did, "Provider", 1, "Setting", date(2025, 6, 1), date(2026, 1, 5), number, 1)


def test_what_a_young_person_said_is_never_left_at_the_foot_of_a_page_without_what_was_done():
    body = "".join(render_to_string("reporting/committee/_you_said_pair.html", {"pair": _pair(n)}) for n in range(40))
    html = (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Pack</title>'
        '<link rel="stylesheet" href="pdf/report.css"><link rel="stylesheet" href="pdf/pack.css"></head>'
        f"<body>{body}</body></html>"
    )
    pages = pages_of(write_pdf(html))
    assert len(pages) > 3
    for number in range(40):
        said_on = [i for i, text in enumerate(pages) if f"SAID{number:02d}" in text]
        did_on = [i for i, text in enumerate(pages) if f"DID{number:02d}" in text]
        assert said_on and said_on == did_on, f"pair {number}: said on page {said_on}, done on page {did_on}"
