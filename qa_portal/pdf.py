"""PDF rendering for every PDF the portal makes: a Django template laid out by WeasyPrint.

Why the fetcher is locked down: our PDFs are OFFICIAL-SENSITIVE and are built from text
that visitors and providers typed. Left to itself WeasyPrint fetches whatever a document
names (images, stylesheets, fonts, `@import`s) over the network or from the file system.
A stray or hostile URL could then tell an outside server that a report was being made,
hang the request on a slow host, or read files off the server. So WeasyPrint here may read
only the project's own static files, found by Django's staticfiles finders; anything else
is refused with an error that WeasyPrint logs before carrying on without that resource.

Templates refer to static files relative to the static root, which is the document's base
URL: `<link rel="stylesheet" href="pdf/report.css">`. Not `{% static %}`: in production
that gives the hashed name from the manifest, which the finders do not hold. The base URL
sits on a `.invalid` host (RFC 6761: it never resolves), and nothing is ever requested
from it: the fetcher maps those URLs to files on disk.

People type in many scripts and emoji; the fonts installed at set-up cover them (static/pdf/report.css
names them). A character no installed font holds would print as an empty box, so it is listed on the
document's last page instead (qa_portal/font_coverage.py finds them), and the view that served the
PDF tells the person who asked for it with `tell_of_unshown_characters`.

What can be is set up once per process, not per document (issue 15: a cold visit report took 3 s):
the fonts (`pdf_layout.font_configuration`, one fontconfig configuration and Pango font map per thread,
which keeps the fonts it has opened), and, by `warm_up` in each Celery worker process and each web
worker as it starts, the first layout's one-off costs (importing WeasyPrint, cffi's C type
declarations, the installed fonts' coverage, the fonts themselves). WeasyPrint lives in
qa_portal/pdf_layout.py, imported on the first layout, not when Django starts: most processes
(management commands, the beat) never make a PDF, and those that do import it faster there.
"""

import logging
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.contrib import messages
from django.template.loader import render_to_string

from qa_portal.font_coverage import MOST, UnshownCharacter, installed_coverage, unshown_characters
from qa_portal.long_words import with_places_to_wrap

logger = logging.getLogger(__name__)

STATIC_ORIGIN = "https://static.qa-portal.invalid/"


class ResourceRefused(ValueError):
    """A PDF named a resource that is not one of our static files."""


def static_base_url() -> str:
    """The base URL of PDF documents: STATIC_URL, placed on the never-resolving origin if relative."""
    return urljoin(STATIC_ORIGIN, settings.STATIC_URL)


UNSHOWN_NOTE = "components/pdf_unshown_characters.html"


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF, and the characters of its text that no installed font could draw (listed on its last
    page): up to font_coverage.MOST of them, and how many more were left out of the list; `html` is
    the document WeasyPrint laid out, places to wrap and all."""

    content: bytes
    unshown: tuple[UnshownCharacter, ...] = ()
    left_out: int = 0
    html: str = field(default="", repr=False)


@dataclass
class UnshownTally:
    """The unshown characters of a document laid out in parts (the committee pack), gathered part by
    part to be listed once, at its end: up to font_coverage.MOST of them, each once, and how many more."""

    characters: list[UnshownCharacter] = field(default_factory=list)
    left_out: int = 0

    def add(self, characters, left_out: int = 0) -> None:
        for character in characters:
            if character in self.characters:
                continue
            if len(self.characters) < MOST:
                self.characters.append(character)
            else:
                self.left_out += 1
        self.left_out += left_out

    def __bool__(self) -> bool:
        return bool(self.characters)


def render_pdf_checked(template_name: str, context: dict, *, tally: UnshownTally | None = None) -> RenderedPdf:
    """Render a Django template to HTML, then to PDF, reading nothing but our own static files; any
    character of its text that no installed font can draw is listed in a note on its last page, and
    long words get places to wrap (qa_portal/long_words.py).

    A part of a longer document passes its `tally`: its unshown characters are added to the tally
    instead, for the document's last part (`unshown_note_html`) to list them all."""
    html, unshown, left_out = render_html_checked(template_name, context, tally=tally)
    from qa_portal.pdf_layout import write_pdf  # WeasyPrint, on the first PDF only (see the module)

    return RenderedPdf(write_pdf(html), tuple(unshown), left_out, html)


def render_html_checked(
    template_name: str, context: dict, *, tally: UnshownTally | None = None
) -> tuple[str, list[UnshownCharacter], int]:
    """The HTML render_pdf_checked lays out (its unshown characters noted as it says, long words given
    places to wrap), with the unshown characters and how many more were left out: for a document laid
    out elsewhere (qa_portal.pdf_processes)."""
    html = render_to_string(template_name, context)
    unshown, left_out = unshown_characters(html)
    if unshown and tally is None:
        note = unshown_note_html(UnshownTally(unshown, left_out))
        end = html.rfind("</body>")
        html = html[:end] + note + html[end:] if end >= 0 else html + note
    elif tally is not None:
        tally.add(unshown, left_out)
    return with_places_to_wrap(html), unshown, left_out


# A page with what our documents use most: the stylesheet, headings, bold, tables and the page's
# margin boxes, in the fonts of report.css.
WARM_UP_HTML = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="pdf/report.css"><title>Warming up</title></head><body>
<h1>Visit report</h1><h2>Summary</h2><p>A paragraph with <strong>bold</strong> and <em>emphasis</em>.</p>
<table><thead><tr><th>Question</th><th>Answer</th></tr></thead><tbody><tr><td>Safe?</td><td>Yes</td></tr></tbody>
</table><ul><li>One</li><li>Two</li></ul></body></html>"""


def warm_up() -> float:
    """Lay out a small document and throw it away, so that the first real one in this process (a
    Celery worker's, a web worker's) does not pay the one-off costs (see the module). Returns the
    seconds it took; never raises, as a process must start even if WeasyPrint cannot."""
    started = time.perf_counter()
    try:
        installed_coverage()  # the installed fonts' coverage, read once per process
        from qa_portal.pdf_layout import write_pdf

        write_pdf(WARM_UP_HTML)
    except Exception:  # a broken font set-up shows on the first real PDF, with its error
        logger.warning("Could not warm up the PDF renderer", exc_info=True)
    return time.perf_counter() - started


def unshown_note_html(tally: UnshownTally) -> str:
    """The note listing the characters that could not be shown, as HTML for a document's end."""
    return render_to_string(UNSHOWN_NOTE, {"unshown": tally.characters, "left_out": tally.left_out})


def render_pdf(template_name: str, context: dict, **options) -> bytes:
    """The PDF of render_pdf_checked, for callers that need only its bytes."""
    return render_pdf_checked(template_name, context, **options).content


def unshown_summary(rendered: RenderedPdf, *, most: int = 3) -> str:
    """The first few unshown characters of a PDF and where they are, in a sentence's words."""
    listed = [str(character) for character in rendered.unshown[:most]]
    more = len(rendered.unshown) - len(listed) + rendered.left_out
    return "; ".join(listed) + (f"; and {more} more" if more else "")


def tell_of_unshown_characters(request, rendered: RenderedPdf, *, document: str) -> None:
    """Tell the person who asked for a PDF, on the next page they see, of characters it could not show.

    `document` names it from the reader's side, capitalised: "The visit report (PDF)". A request
    without messages (a document the worker makes) is passed over: the PDF's last page says it."""
    if rendered.unshown:
        messages.warning(
            request,
            f"{document} has characters that no font on the server can show, printed as empty boxes: "
            f"{unshown_summary(rendered)}. Its last page lists them.",
            fail_silently=True,
        )
